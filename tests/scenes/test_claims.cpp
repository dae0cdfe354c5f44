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

#include "scenes/claim.hpp"
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

TEST_CASE("a claim's verdict: one bad schedule refutes \"nothing goes wrong\" before the search is complete") {
    const scenes::Scene& scene = *scenes::find_scene("atomicity/race");
    const scenes::Settings settings = scenes::resolved(scene, {});  // no protection: a lost update is reachable
    const scenes::Claim nothing_wrong{false, "no schedule loses an update"};
    const scenes::Claim goes_wrong{true, "a lost update is reachable"};

    // Stopped after its first run, which has no preemption and loses nothing: neither claim is settled.
    engine::ExploreOptions one;
    one.max_executions = 1;
    one.time_limit_s = 1e9;
    const engine::ExploreResult first = scenes::explore_scene(scene, settings, one);
    REQUIRE_FALSE(first.complete);
    REQUIRE_FALSE(any_bad(first));
    for (const scenes::Claim& c : {nothing_wrong, goes_wrong}) {
        const scenes::ClaimVerdict v = scenes::judge(c, first);
        CHECK_FALSE(v.holds);
        CHECK_FALSE(v.broken);
        CHECK(std::string(v.why).starts_with("not "));
    }

    // Four threads, stopped after 100 runs of a search that needs 596 (such explore race --set threads=4):
    // the lost update is found (the hunt's third run), the search is not complete, and "nothing goes wrong" is
    // already false.
    scenes::Settings four = settings;
    four.params["threads"] = 4;
    engine::ExploreOptions o;
    o.hunt = engine::kHuntBudget;
    o.max_executions = 100;
    o.time_limit_s = 1e9;
    const engine::ExploreResult cut = scenes::explore_scene(scene, four, o);
    REQUIRE(any_bad(cut));
    REQUIRE_FALSE(cut.complete);
    CHECK(scenes::judge(nothing_wrong, cut).broken);
    CHECK(std::string(scenes::judge(nothing_wrong, cut).why) == "false: a schedule breaks it");
    CHECK(scenes::judge(goes_wrong, cut).holds);

    // The whole search: the lost update is there, so "nothing goes wrong" stays false.
    engine::ExploreOptions full;
    full.time_limit_s = 1e9;
    const engine::ExploreResult all = scenes::explore_scene(scene, settings, full);
    REQUIRE(all.complete);
    CHECK(scenes::judge(nothing_wrong, all).broken);
    CHECK(scenes::judge(goes_wrong, all).holds);
    CHECK(std::string(scenes::judge(goes_wrong, all).why) == "true: a schedule shows it");
}

}  // namespace such::tests

namespace such::tests {

TEST_CASE("a claim's verdict within a preemption bound: settled within the bound only, and worded so") {
    const scenes::Scene& scene = *scenes::find_scene("atomicity/race");
    engine::ExploreOptions none;
    none.preemption_bound = 0;
    none.hunt = 0;
    none.time_limit_s = 1e9;

    // With no preemption each thread runs its read, add and write with nobody between them: both increments
    // land. So "a lost update is reachable" is not shown within 0 preemptions, and not refuted either.
    const engine::ExploreResult plain = scenes::explore_scene(scene, scenes::resolved(scene, {}), none);
    REQUIRE_FALSE(any_bad(plain));
    CHECK(plain.within_bound == 0);
    const scenes::ClaimVerdict shown = scenes::judge(scene.claim(scenes::resolved(scene, {})), plain);
    CHECK_FALSE(shown.holds);
    CHECK_FALSE(shown.broken);
    CHECK_FALSE(shown.holds_within_bound);
    CHECK(shown.why == "not shown within 0 preemptions");

    // With a mutex nothing is lost in any schedule: within the bound that is proved, and not called proved for all.
    scenes::Settings mutex = scenes::resolved(scene, {});
    mutex.params["sync"] = 1;
    engine::ExploreOptions one = none;
    one.preemption_bound = 1;
    const engine::ExploreResult locked = scenes::explore_scene(scene, mutex, one);
    REQUIRE(locked.bounded_by == "the preemption bound (1)");
    CHECK(locked.within_bound == 1);
    const scenes::ClaimVerdict within = scenes::judge(scene.claim(mutex), locked);
    CHECK_FALSE(within.holds);
    CHECK_FALSE(within.broken);
    CHECK(within.holds_within_bound);
    CHECK(within.why == "true within 1 preemption (all such schedules run; not proved beyond)");

    // A bound cut short by another limit settles nothing within it.
    engine::ExploreOptions cut = one;
    cut.max_executions = 1;
    const engine::ExploreResult early = scenes::explore_scene(scene, mutex, cut);
    CHECK(early.within_bound == -1);
    CHECK_FALSE(scenes::judge(scene.claim(mutex), early).holds_within_bound);
}

}  // namespace such::tests
