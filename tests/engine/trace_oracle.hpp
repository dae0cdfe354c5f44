// A test oracle independent of the explorer's reductions: run every
// interleaving and count the Mazurkiewicz traces, i.e. the distinct orders of
// dependent steps (same object and not both reads, or the same task).
#pragma once
#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "engine/explorer.hpp"

namespace such::testing {

// Steps that only look at their object: a read, a transaction's read of a
// variable or of the clock as it begins, a commit's check that a read is current.
inline bool reads_only(engine::EventKind k) {
    using K = engine::EventKind;
    return k == K::Read || k == K::TxRead || k == K::TxBegin || k == K::TxValidate;
}

// Steps that touch only their task's own state, whatever object they name: a
// computation, a yield, a transaction's write into its own write set (nobody
// sees it before the commit publishes it), an attempt's end (commit or
// rollback), a parked receive or select collecting what its waker left in
// its record (a woken receive: arg3 = 1; a select that woke, with no case
// ready as it ran: arg3 = 0).
inline bool task_local(const engine::Event& e) {
    using K = engine::EventKind;
    const engine::EventKind k = e.kind;
    if (k == K::ChanRecv && e.args.arg3 == 1) return true;
    if (k == K::ChanSelect && e.args.note != engine::Note::Default && e.args.arg3 == 0) return true;
    return k == K::Compute || k == K::Yield || k == K::TxWrite || k == K::TxCommit || k == K::TxAbort;
}

inline std::vector<std::uint64_t> trace_signature(const engine::Scheduler& sched) {
    struct Step {
        engine::TaskId task;
        std::uint64_t index;  // the task's own step count
        engine::ObjectId object;
        bool read;
    };
    std::vector<Step> steps;
    std::map<engine::TaskId, std::uint64_t> per_task;
    std::uint64_t last = ~0ull;
    // A step is the first event of the task chosen at that step (a task that
    // finds a lock held tells so inside another task's step).
    const engine::ChoiceLog& chosen = sched.choices();
    for (const auto& e : sched.trace().events()) {
        if (e.kind == engine::EventKind::Spawn || e.step == last || e.step >= chosen.size() || e.task != chosen[e.step]) continue;
        last = e.step;
        steps.push_back({e.task, per_task[e.task]++, task_local(e) ? engine::kNone : e.object, reads_only(e.kind)});
    }
    std::vector<std::uint64_t> order;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        for (std::size_t j = i + 1; j < steps.size(); ++j) {
            const Step& a = steps[i];
            const Step& b = steps[j];
            const bool dep = a.task == b.task || (a.object != engine::kNone && a.object == b.object && !(a.read && b.read));
            if (dep) {
                order.push_back((static_cast<std::uint64_t>(a.task) << 56) | (a.index << 40) |
                                (static_cast<std::uint64_t>(b.task) << 32) | b.index);
            }
        }
    }
    std::sort(order.begin(), order.end());
    return order;
}

// Every schedule, counted by a search of its own (not the explorer's): each
// prefix of choices is replayed on a fresh run and extended by every task
// that can step; a run that ends is one schedule. 0 past `limit` schedules.
inline std::uint64_t count_schedules(const engine::Explorer::Make& make, std::uint64_t limit = 100000) {
    std::uint64_t count = 0;
    std::vector<std::vector<engine::TaskId>> todo{{}};
    while (!todo.empty() && count <= limit) {
        std::vector<engine::TaskId> prefix = std::move(todo.back());
        todo.pop_back();
        const auto run = make();
        engine::Scheduler& s = run->sched();
        for (engine::TaskId t : prefix) s.step_task(t);
        const std::vector<engine::TaskId> ready = s.runnable();
        if (s.verdict() != engine::Verdict::Running || ready.empty()) {
            ++count;
            continue;
        }
        for (engine::TaskId t : ready) {
            todo.push_back(prefix);
            todo.back().push_back(t);
        }
    }
    return count <= limit ? count : 0;
}

// Returns the number of traces, or 0 if the full search did not finish.
inline std::uint64_t count_traces(const engine::Explorer::Make& make) {
    std::set<std::vector<std::uint64_t>> traces;
    engine::ExploreOptions o;
    o.reduction = engine::ExploreOptions::Reduction::None;
    o.on_execution = [&](const engine::Scheduler& s) { traces.insert(trace_signature(s)); };
    const auto r = engine::explore(make, o);
    return r.complete ? traces.size() : 0;
}

}  // namespace such::testing
