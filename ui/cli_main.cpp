// The headless command line: lists scenes, runs one without a window (on the
// simulator or on real threads), writes its trace, and checks trace files.
// Links the engine and scenes only: no ImGui, no SDL.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scenes/claim.hpp"
#include "scenes/deck.hpp"
#include "scenes/narrate.hpp"
#include "scenes/program.hpp"
#include "scenes/scene.hpp"
#include "scenes/trace_replay.hpp"
#include "ui/cli_args.hpp"
#include "ui/user_file.hpp"

namespace {
using namespace such;

constexpr const char* kUsage =
    "usage:\n"
    "  such list                         every scene's id and title\n"
    "  such run SCENE [--seed N] [--policy cooperative|preemptive] [--cores C]\n"
    "                 [--steps K] [--set PARAM=V]... [--trace out.jsonl] [--explain] [--real]\n"
    "                                    run a scene headless and print its outcome\n"
    "  such run SCENE --replay 0,1,0,... [--selects 1,0,...]\n"
    "                                    replay a recorded choice list (task numbers), and the case\n"
    "                                    each select took among ready ones; exit 1 if the list ends\n"
    "                                    before the run does (the outcome then says so)\n"
    "  such explore SCENE [--bound P] [--max-executions N] [--reduction none|sleep|dpor] [--set PARAM=V]...\n"
    "                 [--policy cooperative|preemptive] [--cores C] [--max-depth K] [--time-limit S] [--hunt N] [--stateless] [--json]\n"
    "                                    explore every schedule: outcomes, findings, counts; first hunt for\n"
    "                                    a bug for N executions (default 10000; 0 none): preemption bounds 0\n"
    "                                    and 1, then random priorities (PCT); where the scene declares its\n"
    "                                    state, every state once instead (not with --stateless, --bound or\n"
    "                                    --reduction);\n"
    "                                    exit 0 if the scene's claim holds, 1 if not (proved only within\n"
    "                                    --bound P: 1, and the claim's line says \"true within P preemptions\")\n"
    "  such trace FILE [--explain]       reopen a trace file: re-run what it recorded and compare every event\n"
    "                                    (exit 0 all match, 1 a difference, 2 a file that cannot be read)\n"
    "  such run FILE.lua [...], such explore FILE.lua [...]\n"
    "                                    the same for a program you wrote (or examples/ID);\n"
    "                                    explore exits 0 if nothing went wrong, 1 if something did, 2 on a bad program\n"
    "  such deck                         the talk's slides: number, kind, title\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "such: %s\n%s", message.c_str(), kUsage);
    return 2;
}

template <typename T>
std::string choices_text(const std::vector<T>& choices) {
    std::string out;
    for (engine::TaskId t : choices) out += (out.empty() ? "" : ",") + std::to_string(t);
    return out;
}

std::string json_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    return out;
}

int explore(const cli::Command& c) {
    const scenes::Scene* scene = c.scene;
    const scenes::Settings& settings = c.settings;
    const bool json = c.json;
    const engine::ExploreResult r = scenes::explore_scene(*scene, settings, c.explore);
    const scenes::Claim claim = scene->claim(settings);
    const scenes::ClaimVerdict verdict = scenes::judge(claim, r);
    const bool went_wrong = verdict.went_wrong;
    const bool holds = verdict.holds;
    const bool program = scene->id == "play";
    // A program: 0 when nothing went wrong, 1 when something did.
    const int code = program ? (went_wrong ? 1 : 0) : (holds ? 0 : 1);
    if (json) {
        std::printf("{\"scene\":\"%s\",\"executions\":%llu,\"pruned\":%llu,\"complete\":%s,\"bounded_by\":\"%s\",\"seconds\":%.3f,\"cooperative\":%s,",
                    scene->id.c_str(), static_cast<unsigned long long>(r.searched()), static_cast<unsigned long long>(r.pruned),
                    r.complete ? "true" : "false", json_escape(r.bounded_by).c_str(), r.seconds, r.cooperative ? "true" : "false");
        std::printf("\"states\":%llu,\"transitions\":%llu,", static_cast<unsigned long long>(r.states),
                    static_cast<unsigned long long>(r.transitions));
        std::printf("\"hunted\":%llu,\"trial\":%llu,\"found_by\":\"%s\",\"found_after\":%llu,", static_cast<unsigned long long>(r.hunted),
                    static_cast<unsigned long long>(r.trial), json_escape(r.found_by).c_str(), static_cast<unsigned long long>(r.found_after));
        std::printf("\"claim\":\"%s\",\"claim_holds\":%s,\"claim_within_bound\":%s,\"outcomes\":[", json_escape(claim.text).c_str(),
                    holds ? "true" : "false", verdict.holds_within_bound ? "true" : "false");
        for (std::size_t i = 0; i < r.outcomes.size(); ++i) {
            const auto& o = r.outcomes[i];
            std::printf("%s{\"outcome\":\"%s\",\"bad\":%s,\"executions\":%llu,\"choices\":[%s],\"selects\":[%s]}", i ? "," : "",
                        json_escape(o.outcome).c_str(), o.bad ? "true" : "false", static_cast<unsigned long long>(o.searched()),
                        choices_text(o.example).c_str(), choices_text(o.picks).c_str());
        }
        std::printf("],\"findings\":[");
        for (std::size_t i = 0; i < r.findings.size(); ++i) {
            const auto& f = r.findings[i];
            std::printf("%s{\"kind\":\"%s\",\"detail\":\"%s\",\"choices\":[%s],\"selects\":[%s]}", i ? "," : "", f.kind.c_str(),
                        json_escape(f.detail).c_str(), choices_text(f.choices).c_str(), choices_text(f.picks).c_str());
        }
        std::printf("]}\n");
        return code;
    }
    std::printf("scene       %s\n", scene->id.c_str());
    const std::string ended = scenes::search_end_words(r);
    if (r.states > 0) {
        std::printf("explored    %llu states, %llu transitions (every state once; %llu runs of the program), %s, %.3f s\n",
                    static_cast<unsigned long long>(r.states), static_cast<unsigned long long>(r.transitions),
                    static_cast<unsigned long long>(r.executions), ended.c_str(), r.seconds);
    } else if (r.cooperative) {
        std::printf("explored    %llu executions, every one a cooperative scheduler could pick (a switch only where a task yields, "
                    "blocks or ends), %s, %.3f s\n",
                    static_cast<unsigned long long>(r.executions), ended.c_str(), r.seconds);
    } else {
        std::printf("explored    %llu executions (%llu cut short by sleep sets), %s, %.3f s\n", static_cast<unsigned long long>(r.searched()),
                    static_cast<unsigned long long>(r.pruned), ended.c_str(), r.seconds);
    }
    // The counts are the search's, as the app's are: the hunt's runs, which
    // the search may repeat, are said apart.
    if (r.hunted > 0) {
        const std::string trial = r.trial > 0 ? "; the search's first " + scenes::grouped(static_cast<long>(r.trial)) + " ran between the two" : "";
        std::printf("hunted      %s for a bug first, before the search (preemption bounds, then random priorities)%s\n",
                    scenes::counted(static_cast<long>(r.hunted), "run").c_str(), trial.c_str());
    }
    // Its run number counts the hunt's runs and the search's together, as they ran.
    if (!r.found_by.empty()) {
        std::printf("found by    %s, at run %llu%s\n", r.found_by.c_str(), static_cast<unsigned long long>(r.found_after),
                    r.hunted > 0 ? " of the hunt's and the search's, counted in the order they ran" : "");
    }
    // A search of states reaches each state once: its counts are end states, not schedules.
    std::printf("%s\n", r.states > 0 ? "outcomes    the end states reached, each counted once (a search of states does not count schedules)" : "outcomes");
    for (const auto& o : r.outcomes) {
        // Reached by the hunt alone: a dash, not a count of 0 (which reads as "never"), and how often the hunt saw it.
        const std::string count = o.searched() == 0 ? "-" : std::to_string(o.searched());
        const std::string hunt = o.searched() == 0 ? " (seen " + scenes::counted(static_cast<long>(o.hunted), "time") + " in the hunt's " +
                                                         scenes::counted(static_cast<long>(r.hunted), "run") + "; not by the search)"
                                                   : "";
        std::printf("  %8s  %s%s%s\n", count.c_str(), o.outcome.c_str(), o.bad ? "   <- bad" : "", hunt.c_str());
    }
    if (!r.findings.empty()) std::printf("findings (replay with: such run %s --replay CHOICES)\n", program ? c.named.c_str() : scene->id.c_str());
    for (const auto& f : r.findings) {
        // A run of one task written once ("1x4999": a livelock's spin). A run the depth bound cut
        // replays as far as it went with --steps (past it, the recorded schedule has ended).
        const std::string steps = f.kind == "livelock?" ? " (add --steps " + std::to_string(f.choices.size()) + ": the search stopped it there)" : "";
        std::printf("  %s: %s\n    choices %s%s\n", f.kind.c_str(), f.detail.c_str(), scenes::list_text(f.choices).c_str(), steps.c_str());
        if (!f.picks.empty()) std::printf("    selects %s (add --selects %s)\n", scenes::list_text(f.picks).c_str(), scenes::list_text(f.picks).c_str());
    }
    if (program) {
        std::printf("verdict     %s\n", went_wrong ? "something goes wrong (see the bad outcomes)"
                                       : r.complete ? "nothing goes wrong in any schedule"
                                                    : "nothing went wrong in the schedules explored (the search was bounded)");
        return code;
    }
    std::printf("claim       %s: %s\n", claim.text.c_str(), verdict.why.c_str());
    return code;
}

// The talk as the app presents it: one line per slide.
int list_deck() {
    const auto& d = scenes::deck();
    for (std::size_t i = 0; i < d.size(); ++i) {
        const char* kind = d[i].kind == scenes::SlideKind::Live ? "live" : d[i].kind == scenes::SlideKind::Models ? "table"
                           : d[i].kind == scenes::SlideKind::Compare ? "compare" : "text";
        std::printf("%3zu  %-8s %s%s\n", i + 1, kind, scenes::slide_title(i).c_str(),
                    d[i].link.empty() ? "" : ("  (#" + d[i].link + ")").c_str());
    }
    return 0;
}

int list() {
    for (const scenes::Scene& s : scenes::catalogue()) {
        std::printf("%-24s %s%s\n", s.id.c_str(), s.title.c_str(), s.runs_on_real_threads ? "  [real threads]" : "");
    }
    return 0;
}

void print_sentences(const engine::Trace& trace, const scenes::Run& run) {
    for (const engine::Event& e : trace.events()) {
        const char* who = e.task == engine::kNone ? "--" : run.rt().task_name(e.task).c_str();
        std::printf("%5llu %-8s %s\n", static_cast<unsigned long long>(e.step), who, scenes::sentence(e, trace, run).c_str());
    }
}

int run(const cli::Command& c) {
    const scenes::Scene* scene = c.scene;
    const scenes::Settings& settings = c.settings;
    const std::uint64_t max_steps = c.max_steps;
    const std::string& trace_path = c.trace_path;
    auto r = scene->build(settings);
    // Without --explain, the sentences of old events are never needed, and a
    // trace file re-runs the scene to write them (and a seeded policy's old
    // choices): a long run keeps bounded memory.
    if (!r->is_real() && !c.explain) {
        r->sched().keep_last_events(engine::kKeptEvents);
        r->sched().keep_last_choices(engine::kKeptEvents);
    }
    std::string verdict;
    if (r->is_real()) {
        r->real().run();
        verdict = r->real().failure().empty() ? "finished" : "error: " + r->real().failure();
    } else {
        r->sched().run(max_steps);
        verdict = std::string(engine::to_string(r->sched().verdict()));
        if (r->sched().verdict() == engine::Verdict::Running) verdict = "stopped after " + std::to_string(max_steps) + " steps";
    }
    const engine::Trace& trace = r->rt().trace();
    if (!trace_path.empty()) {
        std::ofstream out(trace_path, std::ios::binary);
        out << scenes::trace_file(*scene, settings, *r);
        if (!out) {
            std::fprintf(stderr, "such: could not write %s\n", trace_path.c_str());
            return 1;
        }
    }
    if (c.explain && !r->is_real()) print_sentences(trace, *r);
    std::printf("scene    %s\n", scene->id == "play" ? c.named.c_str() : scene->id.c_str());
    if (const auto* output = scenes::program_output(*r)) {
        for (const std::string& line : *output) std::printf("| %s\n", line.c_str());
    }
    if (r->is_real()) {
        std::printf("runtime  real threads, %.3f ms\n", r->real().seconds() * 1000.0);
    } else {
        std::printf("runtime  simulator, seed %llu, %s, %d core(s)\n", static_cast<unsigned long long>(settings.seed),
                    std::string(engine::to_string(settings.policy)).c_str(), settings.cores);
        std::printf("steps    %llu (%llu ticks, clock %llu ms)\n", static_cast<unsigned long long>(r->sched().steps()),
                    static_cast<unsigned long long>(r->sched().ticks()), static_cast<unsigned long long>(r->sched().clock()));
    }
    std::printf("verdict  %s\n", verdict.c_str());
    std::printf("outcome  %s\n", r->outcome().headline.c_str());
    std::printf("trace    %zu events, hash %016llx%s\n", trace.total(), static_cast<unsigned long long>(trace.hash()),
                trace_path.empty() ? "" : (", written to " + trace_path).c_str());
    // A replay that left its recorded schedule did not show what was asked for.
    return !r->is_real() && r->sched().verdict() == engine::Verdict::ReplayDiverged ? 1 : 0;
}

// Reopens a trace file: re-runs its scene along its choices and compares
// every event. 0: all match; 1: the first difference, both sides; 2: a file
// that cannot be read or reopened.
int check_trace(const cli::Command& c) {
    const std::string& path = c.trace_path;
    const bool explain = c.explain;
    std::string text, error;
    if (!ui::read_user_file(path, ui::kMaxTraceBytes, text, error)) return usage_error("cannot read " + path + " (" + error + ")");
    scenes::Reopened re;
    if (!scenes::reopen_trace(text, re, error)) {
        std::fprintf(stderr, "such: %s: %s\n", path.c_str(), error.c_str());
        return 2;
    }
    const engine::Trace& recorded = re.recorded;
    const engine::Trace& rerun = re.run->rt().trace();
    if (explain) print_sentences(recorded, *re.run);
    const std::string what = re.header.scene == "play" ? "a program" : "scene " + re.header.scene;
    if (re.first_difference != scenes::Reopened::kSame) {
        const std::size_t i = re.first_difference;
        std::fprintf(stderr, "such: %s: the re-run of %s differs at event %zu\n", path.c_str(), what.c_str(), i + 1);
        const auto side = [&](const char* name, const engine::Trace& t) {
            if (i >= t.size()) {
                std::fprintf(stderr, "  %-9s (no event: it ends after %zu)\n", name, t.size());
                return;
            }
            const engine::Event& e = t.events()[i];
            std::fprintf(stderr, "  %-9s %s\n  %-9s %s\n", name, engine::to_json(e, t).c_str(), "", scenes::sentence(e, t, *re.run).c_str());
        };
        side("recorded", recorded);
        side("re-run", rerun);
        return 1;
    }
    std::printf("%s, seed %llu, %s, %d core(s): %zu events, all match the re-run\n", what.c_str(),
                static_cast<unsigned long long>(re.header.seed), std::string(engine::to_string(re.header.policy)).c_str(), re.header.cores,
                recorded.size());
    std::printf("outcome  %s\n", re.run->outcome().headline.c_str());
    std::printf("trace    %zu events, hash %016llx\n", recorded.size(), static_cast<unsigned long long>(recorded.hash()));
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    cli::Command command;
    std::string error;
    if (!cli::parse_command(args, command, error)) {
        if (!command.bad_input) return usage_error(error);
        std::fprintf(stderr, "such: %s\n", error.c_str());  // the program's fault, not the arguments'
        return 2;
    }
    switch (command.verb) {
    case cli::Verb::Help: std::fputs(kUsage, stdout); return 0;
    case cli::Verb::List: return list();
    case cli::Verb::Deck: return list_deck();
    case cli::Verb::Run: return run(command);
    case cli::Verb::Explore: return explore(command);
    case cli::Verb::Trace: return check_trace(command);
    }
    return 2;
}
