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

#include "scenes/deck.hpp"
#include "scenes/narrate.hpp"
#include "scenes/program.hpp"
#include "scenes/scene.hpp"
#include "scenes/trace_replay.hpp"

namespace {
using namespace such;

constexpr const char* kUsage =
    "usage:\n"
    "  such list                         every scene's id and title\n"
    "  such run SCENE [--seed N] [--policy cooperative|preemptive] [--cores C]\n"
    "                 [--steps K] [--set PARAM=V]... [--trace out.jsonl] [--explain] [--real]\n"
    "                                    run a scene headless and print its outcome\n"
    "  such run SCENE --replay 0,1,0,...  replay a recorded choice list (task numbers)\n"
    "  such explore SCENE [--bound P] [--max-executions N] [--reduction none|sleep|dpor] [--set PARAM=V]...\n"
    "                 [--cores C] [--max-depth K] [--time-limit S] [--json]\n"
    "                                    explore every schedule: outcomes, findings, counts;\n"
    "                                    exit 0 if the scene's claim holds, 1 if not\n"
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

bool parse_choices(std::string_view text, std::vector<engine::TaskId>& out) {
    out.clear();
    while (!text.empty()) {
        const auto comma = text.find(',');
        std::uint64_t n = 0;
        if (!scenes::parse_u64(text.substr(0, comma), n, 63)) return false;
        out.push_back(static_cast<engine::TaskId>(n));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        if (comma != std::string_view::npos && text.empty()) return false;
    }
    return !out.empty();
}

std::string choices_text(const std::vector<engine::TaskId>& choices) {
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

bool is_program(std::string_view arg) { return arg.ends_with(".lua") || arg.starts_with("examples/"); }

// A program named on the command line: a .lua file, or examples/ID. Null
// (with the message printed) if it cannot be read or does not compile.
const scenes::Scene* program_arg(std::string_view arg) {
    static std::vector<std::unique_ptr<scenes::Scene>> kept;  // scenes outlive the explorer that uses them
    std::string text;
    if (arg.starts_with("examples/")) {
        const scenes::Example* e = scenes::find_example(arg.substr(9));
        if (!e) {
            std::string ids;
            for (const auto& x : scenes::examples()) ids += " " + x.id;
            std::fprintf(stderr, "such: no example called '%s'; the examples are:%s\n", std::string(arg.substr(9)).c_str(), ids.c_str());
            return nullptr;
        }
        text = e->text;
    } else {
        std::ifstream in{std::string(arg), std::ios::binary};
        if (!in) {
            std::fprintf(stderr, "such: cannot read the program %s\n", std::string(arg).c_str());
            return nullptr;
        }
        std::stringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
    }
    if (text.size() > 1000000) {
        std::fprintf(stderr, "such: %s is over 1,000,000 bytes: too long for a program\n", std::string(arg).c_str());
        return nullptr;
    }
    scenes::ProgramError error;
    if (!scenes::check_program(text, error)) {
        std::fprintf(stderr, "such: %s: %s\n", std::string(arg).c_str(), error.text().c_str());
        return nullptr;
    }
    kept.push_back(std::make_unique<scenes::Scene>(scenes::program_scene(std::move(text))));
    return kept.back().get();
}

// The scene named first by run and explore; null (usage printed) if none.
const scenes::Scene* scene_arg(const std::vector<std::string_view>& args, const char* verb) {
    if (args.empty() || args[0].starts_with("-")) {
        usage_error(std::string(verb) + " needs a scene id (see: such list) or a program (FILE.lua)");
        return nullptr;
    }
    if (is_program(args[0])) return program_arg(args[0]);
    const scenes::Scene* scene = scenes::find_scene(args[0]);
    if (!scene) usage_error("no scene called '" + std::string(args[0]) + "' (see: such list)");
    return scene;
}

// The options run and explore share (--cores, --set). False if `a` is not
// one of them; `error` says what is wrong with its value.
bool settings_option(std::string_view a, std::string_view v, scenes::Settings& settings, std::string& error) {
    std::uint64_t n = 0;
    if (a == "--cores") {
        if (!scenes::parse_u64(v, n, 8) || n < 1) error = "--cores is a number from 1 to 8";
        settings.cores = static_cast<int>(n);
        return true;
    }
    if (a == "--set") {
        const auto eq = v.find('=');
        if (eq == std::string_view::npos || !scenes::parse_u64(v.substr(eq + 1), n, 1000000)) {
            error = "--set needs PARAM=NUMBER";
        } else {
            settings.params[std::string(v.substr(0, eq))] = static_cast<int>(n);
        }
        return true;
    }
    return false;
}

int explore(const std::vector<std::string_view>& args) {
    const scenes::Scene* scene = scene_arg(args, "explore");
    if (!scene) return 2;
    scenes::Settings settings;
    engine::ExploreOptions options;
    bool json = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--json") { json = true; continue; }
        if (a == "--no-reduction") { options.reduction = engine::ExploreOptions::Reduction::None; continue; }
        if (i + 1 >= args.size()) return usage_error(std::string(a) + " needs a value");
        const std::string_view v = args[++i];
        std::uint64_t n = 0;
        std::string error;
        if (settings_option(a, v, settings, error)) {
            if (!error.empty()) return usage_error(error);
        } else if (a == "--bound") {
            if (!scenes::parse_u64(v, n, 100)) return usage_error("--bound is a number of preemptions from 0 to 100");
            options.preemption_bound = static_cast<int>(n);
        } else if (a == "--reduction") {
            using R = engine::ExploreOptions::Reduction;
            if (v == "none") options.reduction = R::None;
            else if (v == "sleep") options.reduction = R::SleepSets;
            else if (v == "dpor") options.reduction = R::Dpor;
            else return usage_error("--reduction is none, sleep or dpor");
        } else if (a == "--max-depth") {
            if (!scenes::parse_u64(v, n, 1000000) || n == 0) return usage_error("--max-depth is a number of steps from 1 to 1000000");
            options.max_depth = n;
        } else if (a == "--time-limit") {
            if (!scenes::parse_u64(v, n, 86400) || n == 0) return usage_error("--time-limit is a number of seconds from 1 to 86400");
            options.time_limit_s = static_cast<double>(n);
        } else if (a == "--max-executions") {
            if (!scenes::parse_u64(v, n, 100000000) || n == 0) return usage_error("--max-executions is a number from 1 to 100000000");
            options.max_executions = n;
        } else {
            return usage_error("unknown option '" + std::string(a) + "'");
        }
    }
    if (const std::string error = scenes::check_settings(*scene, settings); !error.empty()) return usage_error(error);
    const engine::ExploreResult r = scenes::explore_scene(*scene, settings, options);
    const scenes::Claim claim = scene->claim(settings);
    const bool went_wrong = std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const engine::Outcome& o) { return o.bad; });
    // A claim that something goes wrong is shown by one schedule; a claim that
    // nothing does needs the whole, unbounded search.
    const bool holds = claim.goes_wrong ? went_wrong : (!went_wrong && r.complete);
    const bool program = scene->id == "play";
    // A program: 0 when nothing went wrong, 1 when something did.
    const int code = program ? (went_wrong ? 1 : 0) : (holds ? 0 : 1);
    if (json) {
        std::printf("{\"scene\":\"%s\",\"executions\":%llu,\"pruned\":%llu,\"complete\":%s,\"bounded_by\":\"%s\",\"seconds\":%.3f,",
                    scene->id.c_str(), static_cast<unsigned long long>(r.executions), static_cast<unsigned long long>(r.pruned),
                    r.complete ? "true" : "false", json_escape(r.bounded_by).c_str(), r.seconds);
        std::printf("\"claim\":\"%s\",\"claim_holds\":%s,\"outcomes\":[", json_escape(claim.text).c_str(), holds ? "true" : "false");
        for (std::size_t i = 0; i < r.outcomes.size(); ++i) {
            const auto& o = r.outcomes[i];
            std::printf("%s{\"outcome\":\"%s\",\"bad\":%s,\"executions\":%llu,\"choices\":[%s]}", i ? "," : "",
                        json_escape(o.outcome).c_str(), o.bad ? "true" : "false", static_cast<unsigned long long>(o.executions),
                        choices_text(o.example).c_str());
        }
        std::printf("],\"findings\":[");
        for (std::size_t i = 0; i < r.findings.size(); ++i) {
            const auto& f = r.findings[i];
            std::printf("%s{\"kind\":\"%s\",\"detail\":\"%s\",\"choices\":[%s]}", i ? "," : "", f.kind.c_str(),
                        json_escape(f.detail).c_str(), choices_text(f.choices).c_str());
        }
        std::printf("]}\n");
        return code;
    }
    std::printf("scene       %s\n", scene->id.c_str());
    std::printf("explored    %llu executions (%llu cut short by sleep sets), %s, %.3f s\n",
                static_cast<unsigned long long>(r.executions), static_cast<unsigned long long>(r.pruned),
                r.complete ? "complete" : ("bounded by " + r.bounded_by).c_str(), r.seconds);
    std::printf("outcomes\n");
    for (const auto& o : r.outcomes) {
        std::printf("  %8llu  %s%s\n", static_cast<unsigned long long>(o.executions), o.outcome.c_str(), o.bad ? "   <- bad" : "");
    }
    if (!r.findings.empty()) std::printf("findings (replay with: such run %s --replay CHOICES)\n", program ? std::string(args[0]).c_str() : scene->id.c_str());
    for (const auto& f : r.findings) {
        std::printf("  %s: %s\n    choices %s\n", f.kind.c_str(), f.detail.c_str(), choices_text(f.choices).c_str());
    }
    const char* verdict = holds ? "holds" : (!went_wrong && !r.complete) ? "not proven: nothing went wrong, but the search was bounded" : "does NOT hold";
    if (program) {
        std::printf("verdict     %s\n", went_wrong ? "something goes wrong (see the bad outcomes)"
                                       : r.complete ? "nothing goes wrong in any schedule"
                                                    : "nothing went wrong in the schedules explored (the search was bounded)");
        return code;
    }
    std::printf("claim       %s: %s\n", claim.text.c_str(), verdict);
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

int run(const std::vector<std::string_view>& args) {
    const scenes::Scene* scene = scene_arg(args, "run");
    if (!scene) return 2;
    scenes::Settings settings;
    std::uint64_t max_steps = 100000;
    std::string trace_path;
    bool explain = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view a = args[i];
        const bool has_value = i + 1 < args.size();
        const std::string_view v = has_value ? args[i + 1] : std::string_view{};
        if (a == "--real") {
            settings.runtime = scenes::RuntimeKind::Real;
            continue;
        }
        if (a == "--explain") {
            explain = true;
            continue;
        }
        if (!has_value) return usage_error(std::string(a) + " needs a value");
        ++i;
        std::string error;
        if (settings_option(a, v, settings, error)) {
            if (!error.empty()) return usage_error(error);
        } else if (a == "--seed") {
            if (!scenes::parse_u64(v, settings.seed, 999999999999ull)) return usage_error("--seed needs a whole number");
        } else if (a == "--policy") {
            if (!engine::parse_policy(v, settings.policy) || settings.policy == engine::Policy::Manual ||
                settings.policy == engine::Policy::Replay) {
                return usage_error("--policy is cooperative or preemptive");
            }
        } else if (a == "--steps") {
            if (!scenes::parse_u64(v, max_steps, 10000000)) return usage_error("--steps is a number up to 10000000");
        } else if (a == "--trace") {
            trace_path = std::string(v);
        } else if (a == "--replay") {
            if (!parse_choices(v, settings.replay)) return usage_error("--replay needs task numbers separated by commas");
            settings.policy = engine::Policy::Replay;
        } else {
            return usage_error("unknown option '" + std::string(a) + "'");
        }
    }
    if (const std::string error = scenes::check_settings(*scene, settings); !error.empty()) return usage_error(error);
    if (!trace_path.empty() && settings.runtime == scenes::RuntimeKind::Real) {
        return usage_error("--trace records a simulator run, which reopens and replays; a run on real threads cannot be replayed");
    }
    if (!trace_path.empty() && settings.runtime == scenes::RuntimeKind::Real) {
        return usage_error("--trace records a simulator run, which reopens and replays; a run on real threads cannot be replayed");
    }

    auto r = scene->build(settings);
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
    if (explain && !r->is_real()) print_sentences(trace, *r);
    std::printf("scene    %s\n", scene->id == "play" ? std::string(args[0]).c_str() : scene->id.c_str());
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
    std::printf("trace    %zu events, hash %016llx%s\n", trace.size(), static_cast<unsigned long long>(trace.hash()),
                trace_path.empty() ? "" : (", written to " + trace_path).c_str());
    return 0;
}

// Reopens a trace file: re-runs its scene along its choices and compares
// every event. 0: all match; 1: the first difference, both sides; 2: a file
// that cannot be read or reopened.
int check_trace(const std::vector<std::string_view>& args) {
    std::string path;
    bool explain = false;
    for (std::string_view a : args) {
        if (a == "--explain") {
            explain = true;
        } else if (path.empty() && !a.starts_with("--")) {
            path = std::string(a);
        } else {
            return usage_error("trace takes one file and --explain");
        }
    }
    if (path.empty()) return usage_error("trace needs a file");
    std::ifstream in{path, std::ios::binary};
    if (!in) return usage_error("cannot read " + path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    scenes::Reopened re;
    std::string error;
    if (!scenes::reopen_trace(buffer.str(), re, error)) {
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
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    const std::string_view verb = args[0];
    args.erase(args.begin());
    if (verb == "list") return args.empty() ? list() : usage_error("list takes no arguments");
    if (verb == "deck") return args.empty() ? list_deck() : usage_error("deck takes no arguments here (such deck --export DIR draws them)");
    if (verb == "run") return run(args);
    if (verb == "trace") return check_trace(args);
    if (verb == "explore") return explore(args);
    return usage_error("unknown verb '" + std::string(verb) + "'");
}
