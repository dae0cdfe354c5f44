// Trace files for scenes and programs: the header from a run, and reopening.
#include "scenes/trace_replay.hpp"

#include <algorithm>

#include "scenes/program.hpp"

namespace such::scenes {

engine::TraceHeader trace_header(const Scene& scene, const Settings& settings, const Run& run) {
    engine::TraceHeader h;
    h.scene = scene.id;
    if (scene.id == "play" && !run.listings().empty()) {
        const auto& lines = run.listings().front().lines;  // the text, split at its newlines
        for (std::size_t i = 0; i < lines.size(); ++i) h.program += (i ? "\n" : "") + lines[i];
    }
    h.params = resolved(scene, settings).params;
    h.seed = settings.seed;
    h.policy = settings.policy;
    h.cores = settings.cores;
    h.quantum = settings.quantum;
    const engine::Runtime& rt = run.rt();
    for (std::size_t t = 0; t < rt.task_count(); ++t) h.tasks.push_back(rt.task_name(static_cast<engine::TaskId>(t)));
    for (std::size_t o = 0; o < rt.object_count(); ++o) h.objects.push_back(rt.object(static_cast<engine::ObjectId>(o)).name());
    if (!run.is_real()) {
        h.choices = run.sched().choices();
        h.picks = run.sched().picks();
    }
    return h;
}

namespace {
// A run of `s`, `steps` steps taken (fewer if it rests first).
std::unique_ptr<Run> stepped(const Scene& scene, const Settings& s, std::uint64_t steps) {
    std::unique_ptr<Run> run = scene.build(s);
    engine::Scheduler& sched = run->sched();
    while (sched.steps() < steps && sched.step()) {
    }
    return run;
}

// A run of `s`'s replay list, stepped through every choice on it.
std::unique_ptr<Run> replayed(const Scene& scene, const Settings& s) { return stepped(scene, s, s.replay.size()); }
}  // namespace

std::string trace_file(const Scene& scene, const Settings& settings, const Run& run) {
    if (!run.is_real() && run.sched().choices().forgotten() != 0) {
        // A long seeded run kept only its latest choices and events: the same
        // settings again, as many steps, keeping all.
        const std::unique_ptr<Run> again = stepped(scene, settings, run.sched().steps());
        return engine::write_trace_file(trace_header(scene, settings, *again), again->rt().trace());
    }
    const engine::TraceHeader header = trace_header(scene, settings, run);
    if (run.is_real() || run.rt().trace().forgotten() == 0) return engine::write_trace_file(header, run.rt().trace());
    // A long run kept only its latest events: the same choices again, keeping all.
    Settings again = settings;
    again.policy = engine::Policy::Replay;
    again.replay = header.choices;
    again.picks = header.picks;
    return engine::write_trace_file(header, replayed(scene, again)->sched().trace());
}

bool same_event(const engine::Event& a, const engine::Trace& ta, const engine::Event& b, const engine::Trace& tb) {
    const bool labels = (a.args.label < 0 && b.args.label < 0) ||
                        (a.args.label >= 0 && b.args.label >= 0 && ta.label(a.args.label) == tb.label(b.args.label));
    return labels && a.step == b.step && a.time == b.time && a.core == b.core && a.task == b.task && a.object == b.object &&
           a.kind == b.kind && a.value == b.value && a.args.note == b.args.note && a.args.arg1 == b.args.arg1 &&
           a.args.arg2 == b.args.arg2 && a.args.arg3 == b.args.arg3;
}

bool reopen_trace(std::string_view text, Reopened& out, std::string& error) {
    engine::TraceHeader h;
    engine::Trace recorded;
    if (!engine::read_trace_file(text, h, recorded, error)) return false;
    Scene scene;
    if (h.scene == "play") {
        ProgramError bad;
        if (h.program.empty()) {
            error = "the trace is of a program but holds no program text";
            return false;
        }
        if (!check_program(h.program, bad)) {
            error = "the trace's program does not compile: " + bad.text();
            return false;
        }
        scene = program_scene(h.program);
    } else if (const Scene* found = find_scene(h.scene); found && found->id == h.scene) {
        scene = *found;
    } else {
        error = "the trace is of scene '" + h.scene + "', which this version does not have";
        return false;
    }
    Settings s;
    s.seed = h.seed;
    s.cores = h.cores;
    s.quantum = h.quantum;
    s.params = h.params;
    s.policy = engine::Policy::Replay;
    s.replay = h.choices;
    s.picks = h.picks;
    if (std::string bad = check_settings(scene, s); !bad.empty()) {
        error = "the trace's settings do not fit scene " + scene.id + ": " + bad;
        return false;
    }
    std::unique_ptr<Run> run = replayed(scene, s);
    engine::Scheduler& sched = run->sched();
    // A trace of one scene never opens as another: the names must agree.
    const engine::TraceHeader now = trace_header(scene, s, *run);
    if (now.tasks != h.tasks || now.objects != h.objects) {
        error = "the trace's tasks and objects are not the ones scene " + scene.id + " makes with its settings: it records another program";
        return false;
    }
    const auto& mine = sched.trace().events();
    const auto& theirs = recorded.events();
    std::size_t diff = Reopened::kSame;
    for (std::size_t i = 0; i < std::max(mine.size(), theirs.size()); ++i) {
        if (i >= mine.size() || i >= theirs.size() || !same_event(mine[i], sched.trace(), theirs[i], recorded)) {
            diff = i;
            break;
        }
    }
    out.header = std::move(h);
    out.recorded = std::move(recorded);
    out.scene = std::move(scene);
    out.settings = std::move(s);
    out.run = std::move(run);
    out.first_difference = diff;
    return true;
}

}  // namespace such::scenes
