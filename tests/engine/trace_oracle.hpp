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
    const std::vector<engine::TaskId>& chosen = sched.choices();
    for (const auto& e : sched.trace().events()) {
        if (e.kind == engine::EventKind::Spawn || e.step == last || e.step >= chosen.size() || e.task != chosen[e.step]) continue;
        last = e.step;
        steps.push_back({e.task, per_task[e.task]++, e.object, e.kind == engine::EventKind::Read});
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
