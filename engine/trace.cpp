// JSON-lines form of the trace and its hash.
#include "engine/trace.hpp"

namespace such::engine {

std::string_view to_string(EventKind kind) {
    switch (kind) {
    case EventKind::Spawn: return "spawn";
    case EventKind::Read: return "read";
    case EventKind::Write: return "write";
    case EventKind::Compute: return "compute";
    case EventKind::LockAcquire: return "lock";
    case EventKind::LockWait: return "lock_wait";
    case EventKind::Unlock: return "unlock";
    case EventKind::TryLock: return "try_lock";
    case EventKind::Yield: return "yield";
    case EventKind::Finish: return "finish";
    case EventKind::Deadlock: return "deadlock";
    }
    return "unknown";
}

namespace {
void append_escaped(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += kHex[(c >> 4) & 0xf];
                out += kHex[c & 0xf];
            } else {
                out += c;
            }
        }
    }
}
}  // namespace

std::string to_json(const Event& e) {
    std::string out = "{\"step\":" + std::to_string(e.step) + ",\"time\":" + std::to_string(e.time) +
                      ",\"core\":" + std::to_string(e.core) + ",\"task\":" + std::to_string(e.task) +
                      ",\"object\":" + std::to_string(e.object) + ",\"kind\":\"";
    out += to_string(e.kind);
    out += "\",\"value\":" + std::to_string(e.value) + ",\"detail\":\"";
    append_escaped(out, e.detail);
    out += "\"}";
    return out;
}

std::string Trace::to_jsonl() const {
    std::string out;
    for (const Event& e : events_) {
        out += to_json(e);
        out += '\n';
    }
    return out;
}

std::uint64_t Trace::hash() const {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const Event& e : events_) {
        for (char c : to_json(e)) {
            h ^= static_cast<unsigned char>(c);
            h *= 0x100000001b3ull;
        }
        h ^= '\n';
        h *= 0x100000001b3ull;
    }
    return h;
}

}  // namespace such::engine
