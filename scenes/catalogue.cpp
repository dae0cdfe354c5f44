// The one ordered list of scenes (explicit, so no static registration is lost
// by the linker), and lookups over it.
#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "engine/scheduler.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {

Scene basics_parallelism();
Scene basics_scheduling();
Scene atomicity_race();
Scene threads_counter();
Scene threads_philosophers();
Scene threads_buffer();
Scene stm_commit();
Scene stm_bank();
Scene stm_compose();
Scene stm_contention();
Scene csp_cake();
Scene csp_pipeline();
Scene csp_deadlock();
Scene futures_pinger();
Scene coroutines_fibers();
Scene coroutines_green();
Scene loop_timers();
Scene loop_ordering();
Scene loop_blocked();
Scene loop_echo();
Scene loop_c10k();
Scene proc_pipe();
Scene actors_pingpong();
Scene actors_selective();
Scene actors_supervisor();
Scene actors_anonymous();
Scene conclusion_counter();

// The talk's order: general concepts, then the models.
const std::vector<Scene>& catalogue() {
    static const std::vector<Scene> kScenes = {
        basics_parallelism(), basics_scheduling(), atomicity_race(), threads_counter(), threads_philosophers(),
        threads_buffer(), stm_commit(), stm_bank(), stm_compose(), stm_contention(),
        proc_pipe(), actors_anonymous(), actors_pingpong(), actors_selective(), actors_supervisor(),
        csp_cake(), csp_pipeline(), csp_deadlock(), futures_pinger(), coroutines_fibers(), coroutines_green(), loop_timers(), loop_ordering(), loop_echo(), loop_blocked(), loop_c10k(), conclusion_counter(),
    };
    return kScenes;
}

Run::Run(const Settings& settings) {
    if (settings.runtime == RuntimeKind::Real) {
        engine::RealOptions options;
        options.record = settings.record;
        options.workers = std::max(0, settings.workers);
        rt_ = std::make_unique<engine::RealRuntime>(options);
    } else {
        rt_ = std::make_unique<engine::Scheduler>(
            engine::Config{settings.seed, settings.policy, settings.cores, settings.quantum, settings.replay, settings.picks});
    }
}

Run::~Run() = default;

Outcome Run::outcome() const {
    if (!is_real() && sched().verdict() == engine::Verdict::ReplayDiverged) {
        return {true, true, std::string(engine::to_string(engine::Verdict::ReplayDiverged)) + ": " + verdict_words(sched())};
    }
    return scene_outcome();
}

engine::Scheduler& Run::sched() {
    if (is_real()) throw std::logic_error("this run is on real threads, not the simulator");
    return static_cast<engine::Scheduler&>(*rt_);
}
const engine::Scheduler& Run::sched() const { return const_cast<Run*>(this)->sched(); }
engine::RealRuntime& Run::real() {
    if (!is_real()) throw std::logic_error("this run is on the simulator, not real threads");
    return static_cast<engine::RealRuntime&>(*rt_);
}
const engine::RealRuntime& Run::real() const { return const_cast<Run*>(this)->real(); }

bool Run::over() const {
    return is_real() ? real().finished() : sched().verdict() != engine::Verdict::Running;
}

std::unique_ptr<engine::Explorable> explorable(const Scene& scene, const Settings& settings, Goal goal) {
    struct Adapter final : engine::Explorable {
        std::unique_ptr<Run> run;
        Goal goal;
        engine::Scheduler& sched() override { return run->sched(); }
        std::string outcome() override { return run->outcome_key(); }
        bool bad() override { return goal ? goal(*run) : run->outcome().bad; }
        std::string deadlock_story() override { return scenes::deadlock_story(run->sched()); }
    };
    Settings s = settings;
    s.policy = engine::Policy::Manual;  // the explorer makes every choice
    s.runtime = RuntimeKind::Simulated;
    auto a = std::make_unique<Adapter>();
    a->run = scene.build(s);
    a->goal = std::move(goal);
    return a;
}

std::unique_ptr<engine::Explorer> make_explorer(const Scene& scene, const Settings& settings, const engine::ExploreOptions& options) {
    // Scenes live in the static catalogue; the settings are copied, since the
    // explorer may outlive the caller's.
    // Under the cooperative policy, the schedules a cooperative scheduler could pick, and no others.
    engine::ExploreOptions o = options;
    if (settings.policy == engine::Policy::Cooperative) o.cooperative_cores = std::max(1, settings.cores);
    return std::make_unique<engine::Explorer>([&scene, settings] { return explorable(scene, settings); }, std::move(o));
}

engine::ExploreResult explore_scene(const Scene& scene, const Settings& settings, const engine::ExploreOptions& options) {
    auto e = make_explorer(scene, settings, options);
    while (e->advance(1024)) {
    }
    return e->result();
}

const Scene* find_scene(std::string_view id) {
    for (const Scene& s : catalogue()) {
        if (s.id == id) return &s;
    }
    const Scene* found = nullptr;
    for (const Scene& s : catalogue()) {
        const auto slash = s.id.rfind('/');
        if (slash != std::string::npos && std::string_view(s.id).substr(slash + 1) == id) {
            if (found) return nullptr;  // ambiguous
            found = &s;
        }
    }
    return found;
}

int param_value(const Scene& scene, const Settings& settings, std::string_view id) {
    for (const Param& p : scene.params) {
        if (p.id != id) continue;
        const auto it = settings.params.find(p.id);
        const int v = it == settings.params.end() ? p.initial : it->second;
        return std::clamp(v, p.min, p.max);
    }
    return 0;
}

std::string thread_limit_refusal(const Settings& settings, int threads, const std::string& counted) {
    if (settings.thread_limit <= 0 || threads <= settings.thread_limit) return "";
    return counted + ": this build can start " + std::to_string(settings.thread_limit) + " (the browser's pool of Web Workers).";
}

bool parse_u64(std::string_view text, std::uint64_t& out, std::uint64_t max) {
    if (text.empty() || text.size() > 20) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && out <= max;
}

bool parse_list(std::string_view text, std::uint64_t max, std::vector<std::uint64_t>& out) {
    constexpr std::uint64_t kMost = 100000;
    out.clear();
    while (!text.empty() && out.size() < kMost) {
        const auto comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        const auto x = item.find('x');
        std::uint64_t n = 0, times = 1;
        if (!parse_u64(item.substr(0, x), n, max)) return false;
        if (x != std::string_view::npos && (!parse_u64(item.substr(x + 1), times, kMost - out.size()) || times == 0)) return false;
        out.insert(out.end(), times, n);
        if (comma == std::string_view::npos) return true;
        text = text.substr(comma + 1);
        if (text.empty()) return false;
    }
    return false;
}

Settings resolved(const Scene& scene, Settings settings) {
    std::map<std::string, int> params;
    for (const Param& p : scene.params) {
        const auto it = settings.params.find(p.id);
        params.emplace_hint(params.end(), p.id, std::clamp(it == settings.params.end() ? p.initial : it->second, p.min, p.max));
    }
    settings.params = std::move(params);
    if (settings.workers < 0) settings.workers = scene.real_workers_by ? scene.real_workers_by(settings) : scene.real_workers;
    return settings;
}

std::string counted(long n, std::string_view noun) { return grouped(n) + " " + std::string(noun) + (n == 1 ? "" : "s"); }

std::string grouped(long n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > text.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return 0;
    }
    return n;
}

std::string shown(std::string_view input, std::size_t max_chars) {
    std::string out;
    std::size_t chars = 0, i = 0;
    for (; i < input.size() && chars < max_chars; ++chars) {
        const std::size_t n = utf8_length(input, i);
        const auto b = static_cast<unsigned char>(input[i]);
        if (n == 0 || (n == 1 && (b < 0x20 || b == 0x7F))) {
            out += '?';
            ++i;
        } else {
            out.append(input.substr(i, n));
            i += n;
        }
    }
    if (i < input.size()) {
        std::size_t total = chars;
        for (; i < input.size(); ++total) {
            const std::size_t n = utf8_length(input, i);
            i += n == 0 ? 1 : n;
        }
        out += "... (" + grouped(static_cast<long>(total)) + " characters)";
    }
    return out;
}

std::unique_ptr<Run> Scene::build(const Settings& settings) const {
    std::unique_ptr<Run> run = make(resolved(*this, settings));
    if (run && !run->is_real()) run->sched().start();  // a run whose first step waits for good is a deadlock at once
    return run;
}

Claim Scene::claim(const Settings& settings) const {
    return claims ? claims(resolved(*this, settings)) : Claim{false, "nothing goes wrong"};
}

std::string check_settings(const Scene& scene, const Settings& settings) {
    for (const auto& entry : settings.params) {
        const std::string& id = entry.first;
        const int value = entry.second;
        const auto it = std::find_if(scene.params.begin(), scene.params.end(),
                                     [&](const Param& p) { return p.id == id; });
        if (it == scene.params.end()) return "scene " + scene.id + " has no parameter '" + shown(id) + "'";
        if (value < it->min || value > it->max) {
            return "parameter '" + id + "' must be between " + std::to_string(it->min) + " and " +
                   std::to_string(it->max) + " (got " + std::to_string(value) + ")";
        }
    }
    if (settings.cores < 1 || settings.cores > kMaxCores) {
        return "cores must be between 1 and " + std::to_string(kMaxCores) + " (got " + std::to_string(settings.cores) + ")";
    }
    if (settings.quantum < 1 || settings.quantum > 100) {
        return "quantum must be between 1 and 100 (got " + std::to_string(settings.quantum) + ")";
    }
    if (settings.runtime == RuntimeKind::Real && !scene.runs_on_real_threads) {
        return "scene " + scene.id + " runs on the simulator only";
    }
    if (settings.runtime == RuntimeKind::Real && scene.real_refusal) {
        if (std::string why = scene.real_refusal(resolved(scene, settings)); !why.empty()) return why;
    }
    return {};
}

std::string check_replay(const Scene& scene, const Settings& settings) {
    if (settings.policy != engine::Policy::Replay || settings.runtime == RuntimeKind::Real) return {};
    const std::unique_ptr<Run> run = scene.build(settings);
    engine::Scheduler& s = run->sched();
    const std::vector<engine::TaskId>& choices = settings.replay;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        const std::vector<engine::TaskId> ready = s.runnable();
        const engine::TaskId task = choices[i];
        if (std::find(ready.begin(), ready.end(), task) != ready.end() && s.step()) continue;
        const std::string which = "choice " + std::to_string(i + 1) + " of " + std::to_string(choices.size()) + " (task " +
                                  std::to_string(task) + ")";
        if (ready.empty()) return which + " comes after the run is over: it ends after " + std::to_string(i) + " steps";
        std::string can;
        for (const engine::TaskId r : ready) can += (can.empty() ? "" : ", ") + std::to_string(r) + " (" + s.task_name(r) + ")";
        const bool exists = task >= 0 && static_cast<std::size_t>(task) < s.task_count();
        return which + (exists ? " is " + s.task_name(task) + ", which cannot step" : " names no task") + " at step " +
               std::to_string(i) + "; the tasks that can are " + can;
    }
    return {};
}

}  // namespace such::scenes
