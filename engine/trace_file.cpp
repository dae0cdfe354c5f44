// The trace file's header line, written and read back strictly.
#include "engine/trace_file.hpp"

#include "engine/json_line.hpp"

namespace such::engine {
namespace {
void append_strings(std::string& out, const std::vector<std::string>& items) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, items[i]);
    }
    out += ']';
}

bool read_header(std::string_view line, TraceHeader& h, std::string& error) {
    static constexpr std::string_view kKeys[] = {"such_trace", "scene", "program", "params", "seed", "policy",
                                                 "cores", "quantum", "tasks", "objects", "choices", "selects"};
    constexpr unsigned kRequired = (1u << 11) - 1u - (1u << 2);  // the first 11 but "program"
    unsigned seen = 0;
    JsonLine in(line);
    const bool ok = in.read_object(error, [&](const std::string& key, std::string& err) {
        if (!in.claim(key, kKeys, seen, "header field", err)) return false;
        if (key == "scene" || key == "program" || key == "policy") {
            std::string text;
            if (!in.read_string(text)) return in.fail(err, "header field \"" + key + "\" must be a string");
            if (key == "policy") {
                if (!parse_policy(text, h.policy)) return in.fail(err, "unknown policy \"" + text + "\"");
            } else {
                (key == "scene" ? h.scene : h.program) = std::move(text);
            }
            return true;
        }
        if (key == "tasks" || key == "objects") {
            auto& names = key == "tasks" ? h.tasks : h.objects;
            if (!in.read_strings(names)) return in.fail(err, "header field \"" + key + "\" must be a list of names");
            return true;
        }
        if (key == "choices") {
            std::vector<std::int64_t> ids;
            if (!in.read_ints(ids)) return in.fail(err, "header field \"choices\" must be a list of task numbers");
            for (std::int64_t id : ids) {
                if (id < 0 || id > 1000000) return in.fail(err, "choice " + std::to_string(id) + " is not a task number");
                h.choices.push_back(static_cast<TaskId>(id));
            }
            return true;
        }
        if (key == "selects") {
            std::vector<std::int64_t> picks;
            if (!in.read_ints(picks)) return in.fail(err, "header field \"selects\" must be a list of case numbers");
            for (std::int64_t p : picks) {
                if (p < 0 || p > 1000) return in.fail(err, "select pick " + std::to_string(p) + " is not a case number");
                h.picks.push_back(static_cast<std::uint64_t>(p));
            }
            return true;
        }
        if (key == "params") {
            // A list of "name=value" strings: flat, in name order.
            std::vector<std::string> items;
            if (!in.read_strings(items)) return in.fail(err, "header field \"params\" must be a list of \"name=value\"");
            for (const std::string& item : items) {
                const auto eq = item.find('=');
                std::size_t used = 0;
                int value = 0;
                bool number = eq != std::string::npos && eq > 0 && eq + 1 < item.size() && item.size() - eq < 12;
                if (number) {
                    try {
                        value = std::stoi(item.substr(eq + 1), &used);
                    } catch (const std::exception&) {
                        number = false;
                    }
                }
                if (!number || used != item.size() - eq - 1) return in.fail(err, "parameter \"" + item + "\" is not name=number");
                h.params[item.substr(0, eq)] = value;
            }
            return true;
        }
        std::int64_t n = 0;
        if (!in.read_int(n)) return in.fail(err, "header field \"" + key + "\" must be a whole number");
        if (key == "such_trace") {
            if (n != kTraceFormat) return in.fail(err, "trace format " + std::to_string(n) + " is not one this version reads (" + std::to_string(kTraceFormat) + ")");
            h.format = static_cast<int>(n);
        } else if (key == "seed") {
            if (n < 0) return in.fail(err, "the seed must not be negative");
            h.seed = static_cast<std::uint64_t>(n);
        } else if (n < 1 || n > 64) {
            return in.fail(err, "header field \"" + key + "\" must be from 1 to 64");
        } else {
            (key == "cores" ? h.cores : h.quantum) = static_cast<int>(n);
        }
        return true;
    });
    if (!ok) return false;
    if ((seen & kRequired) != kRequired) {
        return in.fail(error, "the header misses fields (need such_trace, scene, params, seed, policy, cores, quantum, tasks, objects, choices)");
    }
    return true;
}
}  // namespace

std::string write_trace_file(const TraceHeader& h, const Trace& trace) {
    std::string out = "{\"such_trace\":" + std::to_string(h.format) + ",\"scene\":";
    append_json_string(out, h.scene);
    if (!h.program.empty()) {
        out += ",\"program\":";
        append_json_string(out, h.program);
    }
    std::vector<std::string> params;
    for (const auto& [name, value] : h.params) params.push_back(name + "=" + std::to_string(value));
    out += ",\"params\":";
    append_strings(out, params);
    out += ",\"seed\":" + std::to_string(h.seed) + ",\"policy\":\"" + std::string(to_string(h.policy)) + "\",\"cores\":" +
           std::to_string(h.cores) + ",\"quantum\":" + std::to_string(h.quantum) + ",\"tasks\":";
    append_strings(out, h.tasks);
    out += ",\"objects\":";
    append_strings(out, h.objects);
    out += ",\"choices\":[";
    for (std::size_t i = 0; i < h.choices.size(); ++i) out += (i ? "," : "") + std::to_string(h.choices[i]);
    out += "]";
    if (!h.picks.empty()) {
        out += ",\"selects\":[";
        for (std::size_t i = 0; i < h.picks.size(); ++i) out += (i ? "," : "") + std::to_string(h.picks[i]);
        out += "]";
    }
    out += "}\n";
    return out + trace.to_jsonl();
}

bool read_trace_file(std::string_view text, TraceHeader& header, Trace& trace, std::string& error) {
    const auto nl = text.find('\n');
    const std::string_view first = text.substr(0, nl);
    if (first.find("\"such_trace\"") == std::string_view::npos) {
        error = "line 1: not a Such Concurrency trace: it must start with a header {\"such_trace\":" + std::to_string(kTraceFormat) + ", ...} (column 1)";
        return false;
    }
    TraceHeader h;
    std::string what;
    if (!read_header(first, h, what)) {
        error = "line 1: " + what;
        return false;
    }
    Trace events;
    if (!Trace::from_jsonl(nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1), events, error, 2)) return false;
    header = std::move(h);
    trace = std::move(events);
    return true;
}

}  // namespace such::engine
