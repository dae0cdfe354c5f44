// The command line's parser (see cli_args.hpp).
//
// Index
//   [SECTION] Values            numbers, choice lists, the shared --cores and --set
//   [SECTION] Scenes and programs
//   [SECTION] Verbs             run, explore, trace, list, deck
#include "ui/cli_args.hpp"

#include <algorithm>
#include <initializer_list>

#include "scenes/program.hpp"
#include "ui/user_file.hpp"

namespace such::cli {

namespace {
// [SECTION] Values

// "0,1,0": task numbers 0 to 63 (the explorer's choice lists), no empty entries.
bool parse_choices(std::string_view text, std::vector<engine::TaskId>& out) {
    std::vector<std::uint64_t> tasks;
    if (!scenes::parse_list(text, 63, tasks)) return false;
    out.assign(tasks.begin(), tasks.end());
    return true;
}

// The options run and explore share (--cores, --policy, --set). False if `a` is not
// one of them; `error` says what is wrong with its value.
bool settings_option(std::string_view a, std::string_view v, scenes::Settings& settings, std::string& error) {
    std::uint64_t n = 0;
    if (a == "--cores") {
        if (!scenes::parse_u64(v, n, scenes::kMaxCores) || n < 1) {
            error = "--cores is a number from 1 to " + std::to_string(scenes::kMaxCores) + " (got '" + scenes::shown(v) + "')";
        }
        settings.cores = static_cast<int>(n);
        return true;
    }
    if (a == "--policy") {
        if (!engine::parse_policy(v, settings.policy) || settings.policy == engine::Policy::Manual || settings.policy == engine::Policy::Replay) {
            error = "--policy is cooperative or preemptive (got '" + scenes::shown(v) + "')";
        }
        return true;
    }
    if (a == "--set") {
        const auto eq = v.find('=');
        const std::string param(v.substr(0, eq == std::string_view::npos ? 0 : eq));
        if (eq == std::string_view::npos || param.empty() || !scenes::parse_u64(v.substr(eq + 1), n, 1000000)) {
            error = "--set needs PARAM=NUMBER, a whole number up to 1000000 (got '" + scenes::shown(v) + "')";
        } else if (settings.params.count(param)) {
            error = "--set gives '" + scenes::shown(param) + "' twice";
        } else {
            settings.params[param] = static_cast<int>(n);
        }
        return true;
    }
    return false;
}

// [SECTION] Scenes and programs

bool is_program(std::string_view arg) { return arg.ends_with(".lua") || arg.starts_with("examples/"); }

// A program named on the command line: a .lua file, or examples/ID.
bool load_program(std::string_view arg, Command& out, std::string& error) {
    std::string text;
    if (arg.starts_with("examples/")) {
        const scenes::Example* e = scenes::find_example(arg.substr(9));
        if (!e) {
            std::string ids;
            for (const auto& x : scenes::examples()) ids += " " + x.id;
            error = "no example called '" + scenes::shown(arg.substr(9)) + "'; the examples are:" + ids;
            return false;
        }
        text = e->text;
    } else if (std::string why; !ui::read_user_file(std::string(arg), 1000000, text, why)) {
        error = "cannot read the program " + scenes::shown(arg, 200) + " (" + why + ")";
        out.bad_input = true;
        return false;
    }
    scenes::ProgramError problem;
    if (!scenes::check_program(text, problem)) {
        error = scenes::shown(arg, 200) + ": " + problem.text();
        out.bad_input = true;
        return false;
    }
    out.program = std::make_unique<scenes::Scene>(scenes::program_scene(std::move(text)));
    out.scene = out.program.get();
    return true;
}

// The scene or program named first by run and explore.
bool scene_arg(const std::vector<std::string_view>& args, const char* verb, Command& out, std::string& error) {
    if (args.empty() || args[0].starts_with("-")) {
        error = std::string(verb) + " needs a scene id (see: such list) or a program (FILE.lua)";
        return false;
    }
    out.named = std::string(args[0]);
    if (is_program(args[0])) return load_program(args[0], out, error);
    out.scene = scenes::find_scene(args[0]);
    // A path is no scene id: say what a program's name must look like.
    if (!out.scene) {
        error = "no scene called '" + scenes::shown(args[0]) + "' (see: such list)" +
                (args[0].starts_with("/") || args[0].find('.') != std::string_view::npos
                     ? "; a program is a file whose name ends in .lua, or examples/ID"
                     : "");
    }
    return out.scene != nullptr;
}

// Walks the options after the scene: flags (no value) go to flag(a), the
// others with their value to value(a, v). Only --set may be given twice.
template <class Flag, class Value>
bool for_each_option(const std::vector<std::string_view>& args, std::initializer_list<std::string_view> flags,
                     std::vector<std::string_view>& seen, std::string& error, Flag flag, Value value) {
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view a = args[i];
        const bool is_flag = std::find(flags.begin(), flags.end(), a) != flags.end();
        if (!is_flag && !a.starts_with("--")) {
            error = "unexpected argument '" + scenes::shown(a) + "' (options start with --)";
            return false;
        }
        if (!is_flag && i + 1 >= args.size()) {
            error = scenes::shown(a) + " needs a value";
            return false;
        }
        if (a != "--set" && std::find(seen.begin(), seen.end(), a) != seen.end()) {
            error = std::string(a) + " is given twice";
            return false;
        }
        seen.push_back(a);
        if (is_flag ? !flag(a) : !value(a, args[++i])) return false;
    }
    return true;
}

// [SECTION] Verbs

bool parse_run(const std::vector<std::string_view>& args, Command& out, std::string& error) {
    if (!scene_arg(args, "run", out, error)) return false;
    std::vector<std::string_view> seen;
    const auto flag = [&](std::string_view a) {
        if (a == "--real") out.settings.runtime = scenes::RuntimeKind::Real;
        if (a == "--explain") out.explain = true;
        return true;
    };
    const auto value = [&](std::string_view a, std::string_view v) {
        if (settings_option(a, v, out.settings, error)) return error.empty();
        if (a == "--seed") {
            if (scenes::parse_u64(v, out.settings.seed, 999999999999ull)) return true;
            error = "--seed needs a whole number from 0 to 999999999999 (got '" + scenes::shown(v) + "')";
        } else if (a == "--steps") {
            if (scenes::parse_u64(v, out.max_steps, 10000000)) return true;
            error = "--steps is a number up to 10000000 (got '" + scenes::shown(v) + "')";
        } else if (a == "--trace") {
            out.trace_path = std::string(v);
            if (!v.empty()) return true;
            error = "--trace needs a file name";
        } else if (a == "--selects") {
            if (scenes::parse_list(v, 1000, out.settings.picks)) return true;
            error = "--selects needs case numbers from 0 to 1000 separated by commas, e.g. 1,0 (got '" + scenes::shown(v) + "')";
        } else if (a == "--replay") {
            if (parse_choices(v, out.settings.replay)) return true;
            error = "--replay needs task numbers from 0 to 63 separated by commas, e.g. 0,1,0 or 0,1x20 for twenty 1s (got '" + scenes::shown(v) + "')";
        } else {
            error = "unknown option '" + scenes::shown(a) + "'";
        }
        return false;
    };
    if (!for_each_option(args, {"--real", "--explain"}, seen, error, flag, value)) return false;
    const bool replay = !out.settings.replay.empty();
    if (replay && std::find(seen.begin(), seen.end(), "--policy") != seen.end()) {
        error = "--replay is a schedule of its own: it takes no --policy";
        return false;
    }
    if (replay) out.settings.policy = engine::Policy::Replay;
    if (error = scenes::check_settings(*out.scene, out.settings); !error.empty()) return false;
    if (out.settings.runtime == scenes::RuntimeKind::Real && !out.trace_path.empty()) {
        error = "--trace records a simulator run, which reopens and replays; a run on real threads cannot be replayed";
        return false;
    }
    if (out.settings.runtime == scenes::RuntimeKind::Real && replay) {
        error = "--replay follows a schedule on the simulator; a run on real threads has no schedule to follow";
        return false;
    }
    if (replay && !(error = scenes::check_replay(*out.scene, out.settings)).empty()) {
        error = "--replay: " + error;
        return false;
    }
    return true;
}

bool parse_explore(const std::vector<std::string_view>& args, Command& out, std::string& error) {
    if (!scene_arg(args, "explore", out, error)) return false;
    out.explore.hunt = engine::kHuntBudget;
    // States where the scene declares them; schedules when asked how to reduce them.
    out.explore.cache_states = true;
    std::vector<std::string_view> seen;
    const auto flag = [&](std::string_view a) {
        if (a == "--json") out.json = true;
        if (a == "--no-reduction") out.explore.reduction = engine::ExploreOptions::Reduction::None;
        if (a == "--no-reduction" || a == "--stateless") out.explore.cache_states = false;
        return true;
    };
    const auto value = [&](std::string_view a, std::string_view v) {
        std::uint64_t n = 0;
        const auto number = [&](std::uint64_t min, std::uint64_t max, const char* what) {
            if (scenes::parse_u64(v, n, max) && n >= min) return true;
            error = std::string(a) + " is " + what + " from " + std::to_string(min) + " to " + std::to_string(max) +
                    " (got '" + scenes::shown(v) + "')";
            return false;
        };
        using R = engine::ExploreOptions::Reduction;
        if (settings_option(a, v, out.settings, error)) return error.empty();
        if (a == "--bound") {
            if (!number(0, 100, "a number of preemptions")) return false;
            out.explore.preemption_bound = static_cast<int>(n);
        } else if (a == "--reduction") {
            if (v != "none" && v != "sleep" && v != "dpor") {
                error = "--reduction is none, sleep or dpor (got '" + scenes::shown(v) + "')";
                return false;
            }
            out.explore.reduction = v == "none" ? R::None : v == "sleep" ? R::SleepSets : R::Dpor;
            out.explore.cache_states = false;
        } else if (a == "--max-depth") {
            if (!number(1, 1000000, "a number of steps")) return false;
            out.explore.max_depth = n;
        } else if (a == "--time-limit") {
            if (!number(1, 86400, "a number of seconds")) return false;
            out.explore.time_limit_s = static_cast<double>(n);
        } else if (a == "--hunt") {
            if (!number(0, 100000000, "a number of executions")) return false;
            out.explore.hunt = n;
        } else if (a == "--max-executions") {
            if (!number(1, 100000000, "a number")) return false;
            out.explore.max_executions = n;
        } else {
            error = "unknown option '" + scenes::shown(a) + "'";
            return false;
        }
        return true;
    };
    if (!for_each_option(args, {"--json", "--no-reduction", "--stateless"}, seen, error, flag, value)) return false;
    if (out.settings.policy == engine::Policy::Cooperative) {
        // A cooperative scheduler never preempts, and its schedules are searched one by one (ExploreOptions::cooperative_cores).
        if (std::find(seen.begin(), seen.end(), "--bound") != seen.end()) {
            error = "--bound counts preemptions, and --policy cooperative has none";
            return false;
        }
        if (std::find(seen.begin(), seen.end(), "--reduction") != seen.end() && out.explore.reduction != engine::ExploreOptions::Reduction::None) {
            error = "--policy cooperative searches every cooperative schedule with no reduction (give --reduction none, or nothing)";
            return false;
        }
    }
    if (std::count(seen.begin(), seen.end(), "--reduction") + std::count(seen.begin(), seen.end(), "--no-reduction") > 1) {
        error = "give one of --reduction and --no-reduction";
        return false;
    }
    error = scenes::check_settings(*out.scene, out.settings);
    return error.empty();
}

bool parse_trace(const std::vector<std::string_view>& args, Command& out, std::string& error) {
    for (std::string_view a : args) {
        if (a == "--explain" && !out.explain) {
            out.explain = true;
        } else if (out.trace_path.empty() && !a.starts_with("-") && !a.empty()) {
            out.trace_path = std::string(a);
        } else {
            error = "trace takes one file and --explain";
            return false;
        }
    }
    if (out.trace_path.empty()) error = "trace needs a file";
    return error.empty();
}
}  // namespace

bool parse_command(const std::vector<std::string_view>& all, Command& out, std::string& error) {
    out = Command{};
    error.clear();
    if (all.empty()) {
        error = "say what to do (a verb: list, run, explore, trace, deck, help)";
        return false;
    }
    const std::string_view verb = all[0];
    const std::vector<std::string_view> args(all.begin() + 1, all.end());
    if (verb == "--help" || verb == "-h" || verb == "help") {
        out.verb = Verb::Help;
        return true;
    }
    if (verb == "list" || verb == "deck") {
        out.verb = verb == "list" ? Verb::List : Verb::Deck;
        if (!args.empty()) {
            error = verb == "list" ? "list takes no arguments" : "deck takes no arguments here (such deck --export DIR draws them)";
        }
        return error.empty();
    }
    if (verb == "run") return out.verb = Verb::Run, parse_run(args, out, error);
    if (verb == "explore") return out.verb = Verb::Explore, parse_explore(args, out, error);
    if (verb == "trace") return out.verb = Verb::Trace, parse_trace(args, out, error);
    error = "unknown verb '" + scenes::shown(verb) + "'";
    return false;
}

}  // namespace such::cli
