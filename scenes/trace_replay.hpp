// A run as a trace file, and a trace file reopened: the recorded scene (or
// program) is built again with the recorded settings and re-run along the
// recorded choices, and every event is compared with the file's. The CLI's
// `such trace`, the app's "open trace" and the tests share this.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "engine/trace_file.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {

// The header that lets `run` (built from `scene` with `settings`) reopen.
engine::TraceHeader trace_header(const Scene& scene, const Settings& settings, const Run& run);
std::string trace_file(const Scene& scene, const Settings& settings, const Run& run);

struct Reopened {
    static constexpr std::size_t kSame = static_cast<std::size_t>(-1);
    engine::TraceHeader header;
    engine::Trace recorded;           // the file's events
    Scene scene;                      // a copy: a program's scene is made from its text
    Settings settings;                // the recorded ones, replaying the recorded choices
    std::unique_ptr<Run> run;         // re-run along every recorded choice
    std::size_t first_difference = kSame;  // index of the first event that differs
};

// False with "line N: what (column C)" or a plain message for a malformed
// file, an unknown scene, a program that does not compile or a parameter out
// of range; `out` is then unchanged.
bool reopen_trace(std::string_view text, Reopened& out, std::string& error);

// Equal kinds, numbers and labels (by their text), each event in its trace.
bool same_event(const engine::Event& a, const engine::Trace& ta, const engine::Event& b, const engine::Trace& tb);

}  // namespace such::scenes
