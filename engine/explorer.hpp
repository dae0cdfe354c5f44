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
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/scheduler.hpp"

namespace such::engine {

// One run of the program under exploration, driven step by step.
class Explorable {
public:
    virtual ~Explorable() = default;
    virtual Scheduler& sched() = 0;
    // What the run ended with, e.g. "foo = 1"; runs with equal keys count together.
    virtual std::string outcome() = 0;
    // True when the outcome is one the program must never reach.
    virtual bool bad() = 0;
};

struct ExploreOptions {
    int preemption_bound = -1;          // -1: unbounded
    std::uint64_t max_executions = 200000;
    std::uint64_t max_depth = 5000;     // steps per run before "livelock?"
    double time_limit_s = 30.0;
    enum class Reduction { None, SleepSets, Dpor };
    Reduction reduction = Reduction::Dpor;  // None: every interleaving
    // Called with every complete execution (for tests and tools that look inside).
    std::function<void(const Scheduler&)> on_execution;
    // Called now and then with the executions so far; return false to cancel.
    std::function<bool(std::uint64_t executions, std::size_t depth)> progress;
};

struct Outcome {
    std::string outcome;
    bool bad = false;
    std::uint64_t executions = 0;
    std::vector<TaskId> example;        // a choice list that reaches it
};

struct Finding {
    std::string kind;                   // "deadlock", "violation", "livelock?"
    std::string detail;
    std::vector<TaskId> choices;        // replay these to see it happen
};

struct ExploreResult {
    std::uint64_t executions = 0;       // complete runs explored
    std::uint64_t pruned = 0;           // runs cut short by a sleep set
    std::vector<Outcome> outcomes;      // in the order first reached
    std::vector<Finding> findings;
    bool complete = true;               // false: a bound or limit cut the search
    std::string bounded_by;             // which one
    double seconds = 0.0;
    std::size_t max_depth = 0;
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
    std::size_t depth() const;

private:
    struct State;
    void finish();
    Make make_;
    ExploreOptions options_;
    ExploreResult result_;
    std::unique_ptr<State> state_;
    double elapsed_ = 0.0;
    bool finished_ = false;
    bool cancel_requested_ = false;
};

// Runs an Explorer to its end.
ExploreResult explore(const Explorer::Make& make, const ExploreOptions& options);

}  // namespace such::engine
