// JSON-lines form of the trace and its hash.
#include "engine/trace.hpp"

#include "engine/json_line.hpp"

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
    case EventKind::FetchAdd: return "fetch_add";
    case EventKind::Cas: return "cas";
    case EventKind::SemAcquire: return "sem_acquire";
    case EventKind::SemWait: return "sem_wait";
    case EventKind::SemRelease: return "sem_release";
    case EventKind::CondWait: return "cond_wait";
    case EventKind::CondNotify: return "cond_notify";
    case EventKind::Yield: return "yield";
    case EventKind::TxBegin: return "tx_begin";
    case EventKind::TxRead: return "tx_read";
    case EventKind::TxWrite: return "tx_write";
    case EventKind::TxLock: return "tx_lock";
    case EventKind::TxUnlock: return "tx_unlock";
    case EventKind::TxClock: return "tx_clock";
    case EventKind::TxValidate: return "tx_validate";
    case EventKind::TxPublish: return "tx_publish";
    case EventKind::TxCommit: return "tx_commit";
    case EventKind::TxAbort: return "tx_abort";
    case EventKind::TxRetry: return "tx_retry";
    case EventKind::TxEffect: return "tx_effect";
    case EventKind::ChanSend: return "chan_send";
    case EventKind::ChanRecv: return "chan_recv";
    case EventKind::ChanWait: return "chan_wait";
    case EventKind::ChanClose: return "chan_close";
    case EventKind::ChanSelect: return "chan_select";
    case EventKind::FutureSet: return "future_set";
    case EventKind::FutureGet: return "future_get";
    case EventKind::FutureWait: return "future_wait";
    case EventKind::FutureThen: return "future_then";
    case EventKind::PipeWrite: return "pipe_write";
    case EventKind::PipeRead: return "pipe_read";
    case EventKind::PipeWait: return "pipe_wait";
    case EventKind::PipeClose: return "pipe_close";
    case EventKind::ActorSend: return "actor_send";
    case EventKind::ActorReceive: return "actor_receive";
    case EventKind::ActorWait: return "actor_wait";
    case EventKind::ActorExit: return "actor_exit";
    case EventKind::FiberResume: return "fiber_resume";
    case EventKind::FiberYield: return "fiber_yield";
    case EventKind::StreamWrite: return "stream_write";
    case EventKind::StreamRead: return "stream_read";
    case EventKind::Sleep: return "sleep";
    case EventKind::LoopPhase: return "loop_phase";
    case EventKind::LoopCallback: return "loop_callback";
    case EventKind::LoopBusy: return "loop_busy";
    case EventKind::LoopPoll: return "loop_poll";
    case EventKind::LoopPost: return "loop_post";
    case EventKind::LoopWork: return "loop_work";
    case EventKind::Panic: return "panic";
    case EventKind::Finish: return "finish";
    case EventKind::Deadlock: return "deadlock";
    case EventKind::ProcessStart: return "process_start";
    case EventKind::ProcessExit: return "process_exit";
    }
    return "unknown";
}


std::string_view to_string(Note note) {
    switch (note) {
#define SUCH_NOTE_CASE(name, text) \
    case Note::name: return text;
        SUCH_NOTES(SUCH_NOTE_CASE)
#undef SUCH_NOTE_CASE
    }
    return "unknown";
}

bool parse_note(std::string_view text, Note& out) {
#define SUCH_NOTE_PARSE(name, word) \
    if (text == (word)) {           \
        out = Note::name;           \
        return true;                \
    }
    SUCH_NOTES(SUCH_NOTE_PARSE)
#undef SUCH_NOTE_PARSE
    return false;
}

// Room for 12 events at the first: a short run (a race scene's) allocates
// once, where doubling from one event would take four allocations and copies
// to reach its first dozen; and the block (under 1 KB) stays in malloc's
// per-thread cache, where a bigger first block made every short run's malloc
// sort its free lists (malloc_consolidate). Then four times as many, then doubling.
void Trace::grow() {
    const std::size_t n = events_.size();
    events_.reserve(n == 0 ? 12 : n < 100 ? 4 * n : 2 * n);
}

// A run has a handful of texts (a scene's compute steps, its messages'
// tags): they are compared one by one, which needs no hash and no node per
// text. Past kFewLabels the index is built and kept.
int Trace::intern(std::string_view text) {
    constexpr std::size_t kFewLabels = 8;
    if (label_index_.empty()) {
        for (std::size_t i = 0; i < labels_.size(); ++i) {
            if (labels_[i] == text) return static_cast<int>(i);
        }
        if (labels_.size() < kFewLabels) {
            labels_.emplace_back(text);
            return static_cast<int>(labels_.size() - 1);
        }
        for (std::size_t i = 0; i < labels_.size(); ++i) label_index_.emplace(labels_[i], static_cast<int>(i));
    }
    if (auto it = label_index_.find(text); it != label_index_.end()) return it->second;
    const int index = static_cast<int>(labels_.size());
    labels_.emplace_back(text);
    label_index_.emplace(labels_.back(), index);
    return index;
}

// Fields at their defaults are left out: most events have no note, args or label.
std::string to_json(const Event& e, const Trace& trace) {
    std::string out = "{\"step\":" + std::to_string(e.step) + ",\"time\":" + std::to_string(e.time) +
                      ",\"core\":" + std::to_string(e.core) + ",\"task\":" + std::to_string(e.task) +
                      ",\"object\":" + std::to_string(e.object) + ",\"kind\":\"";
    out += to_string(e.kind);
    out += "\",\"value\":" + std::to_string(e.value);
    const EventArgs& a = e.args;
    if (a.note != Note::Plain) {
        out += ",\"note\":\"";
        out += to_string(a.note);
        out += '"';
    }
    if (a.arg1 != 0) out += ",\"arg1\":" + std::to_string(a.arg1);
    if (a.arg2 != 0) out += ",\"arg2\":" + std::to_string(a.arg2);
    if (a.arg3 != 0) out += ",\"arg3\":" + std::to_string(a.arg3);
    if (a.label != kNone) {
        out += ",\"label\":";
        append_json_string(out, trace.label(a.label));
    }
    out += '}';
    return out;
}

std::string Trace::to_jsonl() const {
    std::string out;
    for (const Event& e : events_) {
        out += to_json(e, *this);
        out += '\n';
    }
    return out;
}

namespace {
struct Fnv {
    std::uint64_t h = 0xcbf29ce484222325ull;
    void byte(unsigned char c) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    // Little-endian whatever the machine, so hashes agree across platforms.
    void number(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(v >> (8 * i)));
    }
    void text(std::string_view s) {
        number(s.size());
        for (char c : s) byte(static_cast<unsigned char>(c));
    }
};

// One event into the hash (its label by its text).
void fold(Fnv& f, const Event& e, const Trace& trace) {
    f.number(e.step);
    f.number(e.time);
    f.number(static_cast<std::uint64_t>(e.core));
    f.number(static_cast<std::uint64_t>(e.task));
    f.number(static_cast<std::uint64_t>(e.object));
    f.number(static_cast<std::uint64_t>(e.kind));
    f.number(static_cast<std::uint64_t>(e.value));
    f.number(static_cast<std::uint64_t>(e.args.note));
    f.number(static_cast<std::uint64_t>(e.args.arg1));
    f.number(static_cast<std::uint64_t>(e.args.arg2));
    f.number(static_cast<std::uint64_t>(e.args.arg3));
    if (e.args.label == kNone) {
        f.number(~0ull);
    } else {
        f.text(trace.label(e.args.label));
    }
}
}  // namespace

std::uint64_t Trace::hash() const {
    Fnv f{forgotten_hash_};
    for (const Event& e : events_) fold(f, e, *this);
    return f.h;
}

// Folds the oldest events into the hash and the counts, then lets them go:
// `window_` stay.
void Trace::forget_oldest() {
    const std::size_t n = events_.size() - window_;
    Fnv f{forgotten_hash_};
    for (std::size_t i = 0; i < n; ++i) {
        const Event& e = events_[i];
        fold(f, e, *this);
        ++forgotten_counts_[{e.kind, e.task}];
    }
    forgotten_hash_ = f.h;
    forgotten_ += n;
    events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
}

}  // namespace such::engine

// [SECTION] Reading a trace back
namespace such::engine {

std::size_t Trace::count(EventKind kind, TaskId task) const {
    std::size_t n = 0;
    for (const auto& [key, forgotten] : forgotten_counts_) n += key.first == kind && (task == kNone || key.second == task) ? forgotten : 0;
    for (const Event& e : events_) n += e.kind == kind && (task == kNone || e.task == task);
    return n;
}

bool parse_event_kind(std::string_view text, EventKind& out) {
    for (int k = 0; k < kEventKinds; ++k) {
        if (to_string(static_cast<EventKind>(k)) == text) {
            out = static_cast<EventKind>(k);
            return true;
        }
    }
    return false;
}

namespace {
// One event line: a flat object of numbers and strings.
bool parse_event(std::string_view line, Event& e, Trace& trace, std::string& error) {
    static constexpr std::string_view kKeys[] = {"step", "time", "core", "task", "object", "kind", "value", "note", "arg1", "arg2", "arg3", "label"};
    constexpr unsigned kRequired = 0x7fu;  // step to value; the rest have defaults
    unsigned seen = 0;
    JsonLine in(line);
    const bool ok = in.read_object(error, [&](const std::string& key, std::string& err) {
        if (!in.claim(key, kKeys, seen, "field", err)) return false;
        if (key == "kind" || key == "note" || key == "label") {
            std::string text;
            if (!in.read_string(text)) return in.fail(err, "field \"" + key + "\" must be a string");
            if (key == "label") {
                e.args.label = trace.intern(text);
            } else if (key == "note") {
                if (!parse_note(text, e.args.note)) return in.fail(err, "unknown note \"" + text + "\"");
            } else if (!parse_event_kind(text, e.kind)) {
                return in.fail(err, "unknown event kind \"" + text + "\"");
            }
            return true;
        }
        std::int64_t n = 0;
        if (!in.read_int(n)) return in.fail(err, "field \"" + key + "\" must be a whole number");
        if ((key == "step" || key == "time") && n < 0) return in.fail(err, "field \"" + key + "\" must not be negative");
        if (key == "step") e.step = static_cast<std::uint64_t>(n);
        if (key == "time") e.time = static_cast<std::uint64_t>(n);
        if (key == "core") e.core = static_cast<int>(n);
        if (key == "task") e.task = static_cast<TaskId>(n);
        if (key == "object") e.object = static_cast<ObjectId>(n);
        if (key == "value") e.value = n;
        if (key == "arg1") e.args.arg1 = n;
        if (key == "arg2") e.args.arg2 = n;
        if (key == "arg3") e.args.arg3 = n;
        return true;
    });
    if (!ok) return false;
    if ((seen & kRequired) != kRequired) return in.fail(error, "missing fields (need step, time, core, task, object, kind, value)");
    return true;
}
}  // namespace

bool Trace::from_jsonl(std::string_view text, Trace& out, std::string& error, std::size_t first_line) {
    Trace result;
    std::size_t line_no = first_line - 1;
    while (!text.empty()) {
        ++line_no;
        const auto nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        Event e;
        std::string what;
        if (!parse_event(line, e, result, what)) {
            error = "line " + std::to_string(line_no) + ": " + what;
            return false;
        }
        result.add(e);
    }
    out = std::move(result);
    return true;
}

}  // namespace such::engine
