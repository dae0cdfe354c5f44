// The explorer: runs a program over its possible schedules, depth first over
// the scheduler's choices, re-running the program from its start for each
// branch (programs are deterministic given their choices).
//
// Reduction, so that schedules that only reorder independent steps (steps on
// different objects, or two reads) are not explored twice:
// - sleep sets (Godefroid): after exploring a choice, it sleeps in the
//   siblings' subtrees until a dependent step wakes it;
// - dynamic partial-order reduction on top (optimal DPOR with wakeup trees,
//   Abdulla et al. 2014/2017): a node explores only schedules that reverse a
//   race found in an explored execution, instead of every enabled task, and
//   follows each such schedule step by step, so one complete execution is run
//   per Mazurkiewicz trace and (without blocking steps) none is cut short.
// Memory grows with the depth of a run and the schedules still owed (wakeup
// trees), not with the number of runs explored.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/scheduler.hpp"

namespace such::engine {

// The hunt's budget where a user asks "can this go wrong?" (the app's
// Explorer tab, `such explore`): enough for every scene's claim that
// something can (tests/scenes/test_claims.cpp).
inline constexpr std::uint64_t kHuntBudget = 10000;

// One run of the program under exploration, driven step by step.
class Explorable {
public:
    virtual ~Explorable() = default;
    virtual Scheduler& sched() = 0;
    // What the run ended with, e.g. "foo = 1"; runs with equal keys count together.
    virtual std::string outcome() = 0;
    // True when the outcome is one the program must never reach.
    virtual bool bad() = 0;
    // A deadlock, in words, for a finding (once per distinct deadlock_waits(), not per run): the
    // engine makes no sentences. Without words of the run's own, the finding says "deadlock".
    virtual std::string deadlock_story() { return "deadlock"; }
};

struct ExploreOptions {
    int preemption_bound = -1;          // -1: unbounded
    std::uint64_t max_executions = 200000;  // a search of states: the most states it stores
    std::uint64_t max_depth = 5000;     // steps per run before "livelock?"
    double time_limit_s = 30.0;
    enum class Reduction { None, SleepSets, Dpor };
    Reduction reduction = Reduction::Dpor;  // None: every interleaving
    // > 0: only the schedules a cooperative scheduler on this many cores could
    // pick. A task that holds a core keeps it until it yields, blocks or ends;
    // only then may a task without one take a step. Which tasks hold the
    // cores depends on the order the steps came in, so no two tasks' steps
    // commute: the search runs with no reduction, no hunt, no preemption bound
    // and no search of states, and is complete when it ends within its limits.
    int cooperative_cores = 0;
    // Before the search of every schedule, hunt for a bad outcome with this
    // many executions (0: no hunt): first iterative preemption bounding (the
    // schedules with 0, then 1, then 2 preemptions, as in CHESS), then random
    // priorities (PCT, Burckhardt et al. 2010: a bug that needs d ordering
    // constraints is found by each run with probability at least
    // 1/(n·k^(d−1)) for n tasks and k steps). The hunt stops at the first bad
    // outcome; the search of every schedule follows either way. Its runs count
    // in the result's executions and outcomes.
    // (A search with a preemption bound does not hunt.)
    std::uint64_t hunt = 0;
    // Where every task and object of the run declares its state
    // (Ctx::set_state, Object::fingerprint), search states instead of
    // schedules (engine/state_search.hpp): each state reached is expanded
    // once, with every enabled task, as Spin does. Not with a preemption
    // bound. The first state that does not declare itself sends the search
    // back to the start, stateless.
    bool cache_states = false;
    int pct_depth = 3;                  // PCT's d: priority change points + 1
    std::uint64_t seed = 1;             // PCT's random priorities
    // Called with every complete execution of the search proper (for tests and tools that look inside).
    std::function<void(const Scheduler&)> on_execution;
    // Called now and then with the executions so far; return false to cancel.
    std::function<bool(std::uint64_t executions, std::size_t depth)> progress;
};

struct Outcome {
    std::string outcome;
    bool bad = false;
    std::uint64_t executions = 0;       // the runs that ended so (a search of states: the end states, each once)
    std::vector<TaskId> example;        // a choice list that reaches it
    std::vector<std::uint64_t> picks;   // with these select picks (Config::picks)
    std::uint64_t hunted = 0;           // of `executions`, the hunt's runs (the search may run the same schedules)
    // The search's own runs that ended so: what the app and the CLI count, so
    // that a search counts the same with or without the hunt before it.
    std::uint64_t searched() const { return executions - hunted; }
};

struct Finding {
    std::string kind;                   // "deadlock", "violation", "livelock?"
    std::string detail;
    std::vector<TaskId> choices;        // replay these to see it happen
    std::vector<std::uint64_t> picks;   // with these select picks (Config::picks)
    DeadlockWaits waits;                // a deadlock's, as data: who waits for what (detail says it)
};

struct ExploreResult {
    std::uint64_t executions = 0;       // complete runs explored (a search of states: runs of the program, each from its start)
    std::uint64_t states = 0;           // a search of states (ExploreOptions::cache_states): the states stored; 0: none
    std::uint64_t transitions = 0;      // and the steps taken from them
    std::uint64_t pruned = 0;           // runs cut short by a sleep set
    std::vector<Outcome> outcomes;      // in the order first reached
    std::vector<Finding> findings;
    bool complete = true;               // false: a bound or limit cut the search
    std::string bounded_by;             // which one
    bool cooperative = false;           // the schedules of a cooperative scheduler only (ExploreOptions::cooperative_cores)
    int within_bound = -1;              // >= 0: the search ran every schedule with at most this many preemptions (and no other limit cut it)
    double seconds = 0.0;
    std::size_t max_depth = 0;
    std::uint64_t cut_at_depth = 0;     // the search's runs the depth bound cut (ExploreOptions::max_depth; not the hunt's): complete holds within it only
    std::uint64_t hunted = 0;           // executions spent hunting (see ExploreOptions::hunt)
    std::string found_by;               // the strategy that found the first bad outcome ("preemption bound 1")
    std::uint64_t trial = 0;            // of the search's runs, those made within the hunt (after the preemption bounds)
    std::uint64_t found_after = 0;      // at which run, the hunt's and the search's counted in the order made (1: the first)
    // The search's own runs, the hunt's left out (Outcome::searched).
    std::uint64_t searched() const {
        std::uint64_t n = executions;
        for (const Outcome& o : outcomes) n -= o.hunted;
        return n;
    }
};

// The search as an object that advances a slice at a time, so a UI can run it
// a few milliseconds per frame, or a worker thread can run it to the end.
class Explorer {
public:
    using Make = std::function<std::unique_ptr<Explorable>()>;
    Explorer(Make make, ExploreOptions options);
    ~Explorer();
    Explorer(const Explorer&) = delete;
    Explorer& operator=(const Explorer&) = delete;

    // Explores up to `runs` more executions; false once the search is over.
    bool advance(std::uint64_t runs);
    bool finished() const { return finished_; }
    // Stops at the next run boundary; the result says it was cancelled.
    void cancel() { cancel_requested_ = true; }
    const ExploreResult& result() const { return result_; }
    const ExploreOptions& options() const { return options_; }
    std::size_t depth() const;
    // What the search is doing now: "preemption bound 1", "random priorities
    // (PCT)", "every schedule".
    std::string strategy() const;

private:
    struct State;
    void finish();
    bool hunt(std::uint64_t& runs);
    bool search_states(std::uint64_t runs, const std::function<double()>& elapsed);
    void random_run();
    void record(const std::string& key, bool bad, const Scheduler& s);
    void settle(Explorable& run, const Scheduler& s);
    void merge(const ExploreResult& from);
    bool stop_at_limits(double elapsed);
    Make make_;
    ExploreOptions options_;
    ExploreResult result_;
    std::unique_ptr<State> state_;
    double elapsed_ = 0.0;
    bool finished_ = false;
    std::atomic<bool> cancel_requested_{false};  // set by another thread (the app's panel)
};

// Runs an Explorer to its end.
ExploreResult explore(const Explorer::Make& make, const ExploreOptions& options);

}  // namespace such::engine
