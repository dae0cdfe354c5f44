// The explorer's stateful search: depth first over every enabled task, storing
// each state it reaches and expanding none twice, as Spin does -- for runs
// whose every task and object declares its state (Scheduler::fingerprint).
//
// Sound for the set of outcomes without a reduction: every state reachable
// from the start is expanded once with all of its enabled tasks, so every end
// state, deadlock and run longer than the depth limit is reached; states are
// stored whole (no hash compaction), so no two states are ever taken for one.
// Coroutine frames cannot be copied, so going back to a state re-runs the
// program from its start along the path to it (one "run").
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "engine/explorer.hpp"

namespace such::engine {

class StateSearch {
public:
    // Called with each run that reached an end state not seen before, or a
    // path past the depth limit (then its verdict is still Running).
    using Settle = std::function<void(Explorable&, const Scheduler&)>;
    StateSearch(Explorer::Make make, std::uint64_t max_depth);
    ~StateSearch();
    StateSearch(const StateSearch&) = delete;
    StateSearch& operator=(const StateSearch&) = delete;

    enum class Status {
        Going,      // more to explore
        Over,       // every reachable state expanded
        Stateless,  // a state that does not declare all of itself: this search cannot go on
    };
    // One run: back to the deepest state with a task left to try, then
    // forward through states not seen before, until it meets a stored state
    // or an end.
    Status run(const Settle& settle);

    std::uint64_t states() const;        // stored (Spin's "states, stored")
    std::uint64_t transitions() const { return transitions_; }  // steps taken from stored states
    std::uint64_t runs() const { return runs_; }                // programs started
    std::size_t depth() const { return stack_.size(); }
    std::size_t max_depth() const { return deepest_; }
    // Whether a state at the depth limit was stored unexpanded: a state below
    // it may then be reachable only through it, so the search is not complete.
    bool cut() const { return cut_; }

private:
    class Table;
    struct Frame {
        std::uint32_t state;
        std::vector<TaskId> enabled;
        std::size_t next = 0;       // enabled[next] is the next to try
        TaskId chosen = kNone;      // the step to the next frame's state
        std::uint64_t height = 0;   // the longest path from here seen so far
    };
    enum class Arrival { Fresh, Spent, Stateless };
    void restore();
    Arrival arrive(const Settle& settle);
    void leave();

    Explorer::Make make_;
    std::uint64_t max_depth_;
    std::unique_ptr<Table> table_;
    std::vector<Frame> stack_;
    std::unique_ptr<Explorable> run_;
    std::vector<std::int64_t> print_;  // the fingerprint being looked up
    std::uint64_t transitions_ = 0, runs_ = 0;
    std::size_t deepest_ = 0;
    bool cut_ = false;
    bool started_ = false;
};

}  // namespace such::engine
