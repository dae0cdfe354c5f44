// What a scene is: a small concurrent program written against the engine, its
// text for the talk, its parameters, and the outcome it exists to show.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/explorer.hpp"
#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::scenes {

namespace lua {
class LuaRun;
}

// The scene's row of the talk's models table.
struct ModelRow {
    std::string model, os_mechanism, scheduling, communication, parallelism, example;
};

// An integer parameter with a range; a switch is a parameter from 0 to 1;
// with `choices`, value i means choices[i] (shown as a selector).
struct Param {
    std::string id;
    std::string label;
    int min = 0, max = 1, initial = 0;
    std::string help;
    std::vector<std::string> choices;
};

enum class RuntimeKind { Simulated, Real };

// The most virtual cores a run has: what the app's slider offers, and what
// links, the command line and check_settings accept (one limit for all).
inline constexpr int kMaxCores = 4;

struct Settings {
    std::uint64_t seed = 1;
    engine::Policy policy = engine::Policy::Preemptive;
    int cores = 1;
    int quantum = 1;
    std::vector<engine::TaskId> replay;
    std::vector<std::uint64_t> picks;   // a select's picks among ready cases, in order (engine::Config::picks)
    std::map<std::string, int> params;  // missing ids take their initial value
    RuntimeKind runtime = RuntimeKind::Simulated;
    bool record = true;  // real threads: record events (off to time the primitives alone)
    int workers = -1;    // real threads: 0 native (1:1), K green threads on K workers (M:N), -1 the scene's choice
    int thread_limit = 0;  // real threads: most native threads the platform can start (0: no limit)
};

// A task's code as the panel shows it. Every line is run by some step (its
// Ctx::place), except the lines in `never`: what a scene shows can never
// run (the sends after a deadlock). tests/scenes/test_listings.cpp checks both.
struct Listing {
    Listing() = default;
    Listing(std::string title_, std::vector<std::string> lines_, std::vector<int> never_ = {})
        : title(std::move(title_)), lines(std::move(lines_)), never(std::move(never_)) {}
    // From a braced list of lines, literals or strings: each line is made
    // once, in place (a list of std::string would make every line twice, a
    // temporary and its copy; a scene builds its listings on every run).
    Listing(std::string title_, std::initializer_list<std::string_view> lines_, std::vector<int> never_ = {})
        : title(std::move(title_)), never(std::move(never_)) {
        lines.reserve(lines_.size());
        for (std::string_view l : lines_) lines.emplace_back(l);
    }

    std::string title;
    std::vector<std::string> lines;
    std::vector<int> never = {};
};

struct Outcome {
    bool over = false;     // the run has ended
    bool bad = false;      // what it shows went wrong (lost update, deadlock...)
    std::string headline;  // one sentence for the status line
};

// One built instance of a scene: its runtime (the deterministic scheduler or
// real threads) and the objects its tasks use. Kept behind a pointer: the
// tasks' coroutine frames refer to its members.
class Run {
public:
    explicit Run(const Settings& settings);
    virtual ~Run();
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;
    // A scene's objects keep what real threads write on cache lines of their
    // own (alignas(engine::kCacheLine)), which over-aligns most runs: their
    // blocks start a line without an aligned new (engine/block_pool.hpp).
    // Recycled: the explorer and the benchmarks build a run for every seed.
    static void* operator new(std::size_t size) { return engine::detail::FramePool::take(size); }
    static void operator delete(void* p, std::size_t size) { engine::detail::FramePool::give(p, size); }
    static void* operator new(std::size_t size, std::align_val_t align) {
        return static_cast<std::size_t>(align) <= engine::kCacheLine ? engine::detail::LinePool::take(size) : ::operator new(size, align);
    }
    static void operator delete(void* p, std::size_t size, std::align_val_t align) {
        if (static_cast<std::size_t>(align) <= engine::kCacheLine) {
            engine::detail::LinePool::give(p, size);
        } else {
            ::operator delete(p, align);
        }
    }

    engine::Runtime& rt() { return *rt_; }
    const engine::Runtime& rt() const { return *rt_; }
    bool is_real() const { return rt_->is_real(); }
    // The simulator; only valid when !is_real().
    engine::Scheduler& sched();
    const engine::Scheduler& sched() const;
    // The real-thread runtime; only valid when is_real().
    engine::RealRuntime& real();
    const engine::RealRuntime& real() const;
    // Over: finished, deadlocked or diverged (simulator) or all threads ended (real).
    bool over() const;

    const std::vector<Listing>& listings() const { return listings_; }
    // What the run shows, for its headline: a replay that left its recorded
    // schedule says so (the state it stopped in is no outcome of the scene:
    // an STM commit cut halfway read as "updates lost"), else the scene's
    // own words (scene_outcome).
    Outcome outcome() const;
    // A short name for the final state, so the explorer can count runs that
    // end alike (e.g. "foo = 1"). By default the outcome's headline.
    virtual std::string outcome_key() const { return outcome().headline; }
    // A value as the program's reader writes it (a program's values are
    // handles to Lua values; a C++ scene's are plain integers).
    virtual std::string value_text(std::int64_t value) const { return std::to_string(value); }
    // The user's program this run is, or null for a C++ scene (program.hpp
    // reads its errors and output through it; the web build has no RTTI).
    virtual const lua::LuaRun* as_program() const { return nullptr; }

protected:
    virtual Outcome scene_outcome() const = 0;

    std::unique_ptr<engine::Runtime> rt_;
    std::vector<Listing> listings_;
};

// A predicate over a run: a challenge's goal, or what the explorer should look for.
using Goal = std::function<bool(const Run&)>;

struct Claim {
    bool goes_wrong = false;
    std::string text;
};

struct Scene {
    std::string id;       // "atomicity/race": URL hash, CLI name and test name
    std::string title;
    std::string section;  // the talk's section it belongs to
    ModelRow row;
    std::string slide;    // what the audience reads beside the scene
    std::string notes;    // what the speaker says
    std::vector<Param> params;
    bool runs_on_real_threads = false;  // its steps all have a real-thread form
    std::string real_caption;           // what its real run is, before one is made ("": the same program on std::thread)
    int real_workers = 0;               // on real threads: 0 a native thread per task; K green threads on K workers
    // Where the scene's models differ (the conclusion), real_workers by settings (their params resolved).
    std::function<int(const Settings&)> real_workers_by;
    // Why these (resolved) settings cannot run on real threads, or "" (e.g. a
    // program that deadlocks would hang real threads for good).
    std::function<std::string(const Settings&)> real_refusal;
    // Both receive settings whose params hold every parameter, in range.
    // make: builds the scene's run. claims: what the scene claims about all of
    // its schedules (whether some schedule goes wrong, in words); the explorer
    // checks it.
    std::function<std::unique_ptr<Run>(const Settings&)> make;
    std::function<Claim(const Settings&)> claims;
    // Where the search of every schedule is too big to finish: the preemption
    // bound within which a claim that nothing goes wrong is checked instead
    // (tests/scenes/test_claims.cpp). -1: the search must finish.
    int proof_bound = -1;

    std::unique_ptr<Run> build(const Settings& settings) const;
    Claim claim(const Settings& settings) const;
};

// One run of the scene, driven step by step by the explorer (manual policy).
// With a goal, the explorer counts the runs that reach it as "bad" (its
// findings are then the schedules that reach the goal).
std::unique_ptr<engine::Explorable> explorable(const Scene& scene, const Settings& settings, Goal goal = {});
// The explorer over a scene's schedules with these settings (see engine/explorer.hpp).
std::unique_ptr<engine::Explorer> make_explorer(const Scene& scene, const Settings& settings, const engine::ExploreOptions& options);
engine::ExploreResult explore_scene(const Scene& scene, const Settings& settings, const engine::ExploreOptions& options);

// Every scene, in the talk's order.
const std::vector<Scene>& catalogue();
// By full id, or by the last part of it when that is unique ("race").
const Scene* find_scene(std::string_view id);
// A parameter's value in these settings, clamped to its range.
int param_value(const Scene& scene, const Settings& settings, std::string_view id);
// The settings with every parameter of the scene present and clamped.
Settings resolved(const Scene& scene, Settings settings);
// 100000 -> "100,000": counts the audience reads from the back row.
std::string grouped(long n);
// A count and its noun, plural unless it is one: "1 restart", "2 restarts".
std::string counted(long n, std::string_view noun);
// The length of the UTF-8 sequence at text[i] (1 to 4), or 0 when the bytes
// there are not one.
std::size_t utf8_length(std::string_view text, std::size_t i);
// Input from a link, a command line or a file, as a message quotes it: at
// most `max_chars` characters, anything that is not printable UTF-8 as '?',
// and when cut, the whole input's length ("abc... (10,000 characters)").
std::string shown(std::string_view input, std::size_t max_chars = 40);
// Parses a non-negative decimal number up to `max` (links, CLI, commands).
bool parse_u64(std::string_view text, std::uint64_t& out, std::uint64_t max = ~std::uint64_t{0});
// "1,0,2": numbers up to `max` separated by commas, at least one and at most
// 100,000 (choices and a select's picks in a link or a command line); "VxN"
// stands for V written N times ("0,1x4999"), as list_text writes runs.
bool parse_list(std::string_view text, std::uint64_t max, std::vector<std::uint64_t>& out);
// The other way: numbers separated by commas, a run of four or more of one
// number as "VxN" (a livelock's 5,000 choices read "0,1x4999").
template <class T>
std::string list_text(const std::vector<T>& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size();) {
        std::size_t run = 1;
        while (i + run < values.size() && values[i + run] == values[i]) ++run;
        if (run < 4) run = 1;
        out += (out.empty() ? "" : ",") + std::to_string(values[i]) + (run > 1 ? "x" + std::to_string(run) : "");
        i += run;
    }
    return out;
}
// A real run that needs `threads` native threads where the platform can start
// fewer (the browser's Web Worker pool): why, with the count as `counted`
// ("1001 native threads"); "" when they fit.
std::string thread_limit_refusal(const Settings& settings, int threads, const std::string& counted);
// Checks settings against the scene; an empty string means they are valid.
std::string check_settings(const Scene& scene, const Settings& settings);
// With the replay policy: runs the scene along its choice list and says which
// choice names a task that cannot take that step (one that does not exist,
// is blocked or has ended, or a choice after the run is over); "" when every
// choice is a step. The list may stop before the run does.
std::string check_replay(const Scene& scene, const Settings& settings);

}  // namespace such::scenes
