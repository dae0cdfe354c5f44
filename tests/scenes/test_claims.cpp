// Every scene's claim, checked by the explorer at the scene's defaults and at
// each parameter's extremes: a claim that something can go wrong must be
// found by the hunt (preemption bounds, then random priorities) within its
// budget of executions; a claim that nothing goes wrong must hold over every
// schedule, or within the preemption bound the scene declares where the
// search of every schedule is too big to finish.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "scenes/scene.hpp"

namespace such::tests {
namespace {

// A search of every schedule up to this many executions; past it, the scene's
// declared bound (each bounded search must then finish).
constexpr std::uint64_t kFullBudget = 20000;
constexpr std::uint64_t kBoundedBudget = 200000;

struct Checked {
    int pairs = 0;          // (scene, settings) pairs checked
    int shown_wrong = 0;    // "something can go wrong", found by the hunt
    int proven = 0;         // "nothing goes wrong", over every schedule
    int proven_bounded = 0; // "nothing goes wrong", within the scene's bound
};

bool any_bad(const engine::ExploreResult& r) {
    for (const auto& o : r.outcomes) {
        if (o.bad) return true;
    }
    return false;
}

// The settings a scene is checked at: its defaults, then each parameter at its
// minimum and at its maximum, and a selector at each of its choices (the
// others at their defaults), skipping values equal to the default.
std::vector<std::map<std::string, int>> settings_to_check(const scenes::Scene& scene) {
    std::vector<std::map<std::string, int>> out{{}};
    for (const auto& p : scene.params) {
        for (int v = p.min; v <= p.max; ++v) {
            const bool end = v == p.min || v == p.max;
            if (v != p.initial && (end || !p.choices.empty())) out.push_back({{p.id, v}});
        }
    }
    return out;
}

void check_claim(const scenes::Scene& scene, const std::map<std::string, int>& params, Checked& checked) {
    scenes::Settings settings;
    settings.params = params;
    settings = scenes::resolved(scene, settings);
    const scenes::Claim claim = scene.claim(settings);
    CAPTURE(claim.text);
    ++checked.pairs;
    if (claim.goes_wrong) {
        engine::ExploreOptions o;
        o.hunt = engine::kHuntBudget;
        o.time_limit_s = 1e9;  // counts, not time, decide
        auto e = scenes::make_explorer(scene, settings, o);
        while (!any_bad(e->result()) && e->result().executions < engine::kHuntBudget && e->advance(16)) {
        }
        const engine::ExploreResult& r = e->result();
        CHECK(any_bad(r));
        CHECK(r.found_after <= engine::kHuntBudget);
        checked.shown_wrong += any_bad(r) ? 1 : 0;
        return;
    }
    engine::ExploreOptions full;
    full.max_executions = kFullBudget;
    full.time_limit_s = 1e9;
    const engine::ExploreResult r = scenes::explore_scene(scene, settings, full);
    CHECK_FALSE(any_bad(r));
    if (r.complete) {
        ++checked.proven;
        return;
    }
    // Too big to finish: the scene must declare a bound, and the search within it must finish.
    REQUIRE_MESSAGE(scene.proof_bound >= 0, "the search of every schedule does not finish (" << r.bounded_by << ") and the scene declares no bound");
    engine::ExploreOptions bounded;
    bounded.preemption_bound = scene.proof_bound;
    bounded.max_executions = kBoundedBudget;
    bounded.time_limit_s = 1e9;
    const engine::ExploreResult b = scenes::explore_scene(scene, settings, bounded);
    CAPTURE(b.bounded_by);
    CHECK_FALSE(any_bad(b));
    CHECK(b.bounded_by == "the preemption bound (" + std::to_string(bounded.preemption_bound) + ")");
    ++checked.proven_bounded;
}

}  // namespace

TEST_CASE("every scene's claim holds at its defaults and at each parameter's extremes") {
    Checked checked;
    int expected = 0;
    for (const scenes::Scene& scene : scenes::catalogue()) {
        CAPTURE(scene.id);
        // One pair for the defaults, one per parameter end, and per selector
        // choice, that differs from its default.
        ++expected;
        for (const auto& p : scene.params) {
            expected += p.choices.empty() ? (p.min != p.initial) + (p.max != p.initial) : static_cast<int>(p.choices.size()) - 1;
        }
        for (const auto& params : settings_to_check(scene)) {
            std::string named = "defaults";
            for (const auto& [k, v] : params) named = k + "=" + std::to_string(v);
            CAPTURE(named);
            check_claim(scene, params, checked);
        }
    }
    MESSAGE(checked.pairs << " (scene, settings) pairs: " << checked.shown_wrong << " shown to go wrong by the hunt, " << checked.proven
                          << " proven over every schedule, " << checked.proven_bounded << " within the scene's preemption bound");
    CHECK(checked.pairs == expected);
    CHECK(checked.shown_wrong + checked.proven + checked.proven_bounded == checked.pairs);
}

}  // namespace such::tests
