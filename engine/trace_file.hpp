// A trace file: a header line that says what ran (scene or program text,
// parameters, seed, policy, cores, quantum, names, choices), then the events,
// one JSON object a line. With the header a run reopens anywhere: re-run the
// scene with the recorded choices and compare every event.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scheduler.hpp"
#include "engine/trace.hpp"

namespace such::engine {

inline constexpr int kTraceFormat = 1;

struct TraceHeader {
    int format = kTraceFormat;
    std::string scene;                   // the scene's id ("play" for a program)
    std::string program;                 // a program's text ("" for a built-in scene)
    std::map<std::string, int> params;   // every parameter, resolved
    std::uint64_t seed = 1;
    Policy policy = Policy::Preemptive;  // the policy the run was made with
    int cores = 1;
    int quantum = 1;
    std::vector<std::string> tasks;      // names, by id
    std::vector<std::string> objects;
    std::vector<TaskId> choices;         // which task took each step
    std::vector<std::uint64_t> picks;    // which ready case each select took ("selects"; only when some chose)
};

std::string write_trace_file(const TraceHeader& header, const Trace& trace);
// Reads what write_trace_file wrote. On a malformed file returns false with
// "line N: what is wrong (column C)" in `error` and changes nothing.
bool read_trace_file(std::string_view text, TraceHeader& header, Trace& trace, std::string& error);

}  // namespace such::engine
