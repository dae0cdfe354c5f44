// Simulator set-ups the engine tests share: the three policies on one core,
// and running a manual schedule to its end.
#pragma once
#include <cstdint>

#include "engine/scheduler.hpp"

namespace such::tests {

inline engine::Config manual() { return engine::Config{1, engine::Policy::Manual, 1, 1, {}}; }
inline engine::Config coop() { return engine::Config{1, engine::Policy::Cooperative, 1, 1, {}}; }
inline engine::Config seeded(std::uint64_t seed) { return engine::Config{seed, engine::Policy::Preemptive, 1, 1, {}}; }

// Manual policy: runs to the end, always stepping the lowest ready task.
inline void drain(engine::Scheduler& s) {
    while (!s.runnable().empty()) s.step_task(s.runnable().front());
}

}  // namespace such::tests
