// What the scene tests ask the explorer: a scene with some parameters, over
// all its schedules, and the set of outcomes it reaches.
#pragma once
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "scenes/scene.hpp"

namespace such::tests {

using Reduction = engine::ExploreOptions::Reduction;

inline engine::ExploreResult explore(std::string_view id, std::map<std::string, int> params, Reduction reduction = Reduction::Dpor,
                                     int bound = -1, std::uint64_t max_executions = 200000) {
    scenes::Settings s;
    s.params = std::move(params);
    engine::ExploreOptions o;
    o.max_executions = max_executions;
    o.reduction = reduction;
    o.preemption_bound = bound;
    return scenes::explore_scene(*scenes::find_scene(id), s, o);
}

inline std::set<std::string> outcomes(const engine::ExploreResult& r) {
    std::set<std::string> out;
    for (const auto& o : r.outcomes) out.insert(o.outcome);
    return out;
}

// The outcomes of a search that must finish within the default limits.
inline std::set<std::string> outcomes(std::string_view id, std::map<std::string, int> params) {
    const engine::ExploreResult r = explore(id, std::move(params));
    REQUIRE(r.complete);
    return outcomes(r);
}

}  // namespace such::tests
