// Simulator set-ups the engine tests share: the three policies on one core,
// and running a manual schedule to its end.
#pragma once
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "engine/explorer.hpp"
#include "engine/scheduler.hpp"

namespace such::tests {

inline engine::Config manual() { return engine::Config{1, engine::Policy::Manual, 1, 1, {}, {}}; }
inline engine::Config coop() { return engine::Config{1, engine::Policy::Cooperative, 1, 1, {}, {}}; }
inline engine::Config seeded(std::uint64_t seed) { return engine::Config{seed, engine::Policy::Preemptive, 1, 1, {}, {}}; }

// The outcomes a complete search with this reduction reaches, of a program
// made by P's default constructor (an engine::Explorable).
template <class P>
std::set<std::string> outcome_set(engine::ExploreOptions::Reduction reduction) {
    engine::ExploreOptions o;
    o.reduction = reduction;
    const engine::ExploreResult res = engine::explore([] { return std::make_unique<P>(); }, o);
    std::set<std::string> out;
    if (!res.complete) out.insert("(search not complete)");
    for (const engine::Outcome& x : res.outcomes) out.insert(x.outcome);
    return out;
}

// Manual policy: runs to the end, always stepping the lowest ready task.
inline void drain(engine::Scheduler& s) {
    while (!s.runnable().empty()) s.step_task(s.runnable().front());
}

}  // namespace such::tests
