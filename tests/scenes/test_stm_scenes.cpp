// The transactional-memory scenes show what they claim, under the explorer
// and on seeds, and give the same trace natively and in WebAssembly.
#include <doctest/doctest.h>

#include <set>

#include "engine/stm.hpp"
#include "scenes/scene.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;
using namespace such::tests;

namespace {
std::unique_ptr<scenes::Run> finished(std::string_view id, std::uint64_t seed, std::map<std::string, int> params) {
    scenes::Settings s;
    s.seed = seed;
    s.params = std::move(params);
    auto run = scenes::find_scene(id)->build(s);
    run->sched().run(50000);
    return run;
}

const engine::Stm& stm_of(const scenes::Run& run) {
    for (std::size_t i = 0; i < run.rt().object_count(); ++i) {
        // The STM's version clock is the only object of kind Clock (the wasm build has no RTTI to cast by).
        const engine::Object& o = run.rt().object(static_cast<engine::ObjectId>(i));
        if (o.kind() == engine::ObjectKind::Clock) return static_cast<const engine::Stm&>(o);
    }
    throw std::logic_error("no STM in this scene");
}
}  // namespace

TEST_CASE("the commit slide ends at 2 in every schedule, and some schedule rolls back") {
    const auto r = explore("stm/commit", {{"tasks", 2}, {"each", 1}});
    CHECK(r.complete);
    CHECK(outcomes(r) == std::set<std::string>{"counter = 2"});
    bool rolled_back = false;
    for (std::uint64_t seed = 1; seed <= 20 && !rolled_back; ++seed) {
        rolled_back = stm_of(*finished("stm/commit", seed, {})).stats().aborts_total() > 0;
    }
    CHECK(rolled_back);
}

TEST_CASE("bank transfers as transactions conserve the total in every schedule; account locks deadlock") {
    const auto stm = explore("stm/bank", {{"accounts", 2}, {"tasks", 2}, {"each", 1}, {"sync", 0}});
    CHECK(stm.complete);
    CHECK(outcomes(stm) == std::set<std::string>{"total = 200"});
    const auto global = explore("stm/bank", {{"accounts", 3}, {"tasks", 3}, {"each", 1}, {"sync", 2}});
    CHECK(outcomes(global) == std::set<std::string>{"total = 300"});
    const auto locks = explore("stm/bank", {{"accounts", 2}, {"tasks", 2}, {"each", 1}, {"sync", 1}});
    CHECK(outcomes(locks).count("deadlock") == 1);
    REQUIRE_FALSE(locks.findings.empty());
    const std::string& story = locks.findings.front().detail;
    CHECK(story.find("T1") != std::string::npos);
    CHECK(story.find("T2") != std::string::npos);
    CHECK(story.find("lock0") != std::string::npos);
    CHECK(story.find("lock1") != std::string::npos);
}

TEST_CASE("account locks that cannot close the ring never deadlock, and the claim says so") {
    const scenes::Scene& bank = *scenes::find_scene("stm/bank");
    scenes::Settings s;
    s.params = {{"accounts", 5}, {"tasks", 2}, {"each", 1}, {"sync", 1}};
    CHECK_FALSE(bank.claim(s).goes_wrong);
    CHECK(outcomes(scenes::explore_scene(bank, s, engine::ExploreOptions{})) == std::set<std::string>{"total = 500"});
}

TEST_CASE("account locks are refused on real threads with the reason") {
    scenes::Settings s;
    s.runtime = scenes::RuntimeKind::Real;
    s.params = {{"sync", 1}};
    CHECK(scenes::check_settings(*scenes::find_scene("stm/bank"), s).find("deadlock") != std::string::npos);
    s.params = {{"sync", 0}};
    CHECK(scenes::check_settings(*scenes::find_scene("stm/bank"), s).empty());
}

TEST_CASE("composed with locks an auditor can see money missing; as transactions never, and the payer always pays") {
    const auto locks = explore("stm/compose", {{"sync", 1}});
    CHECK(locks.complete);
    const auto seen = outcomes(locks);
    CHECK(seen.count("auditor saw 20") == 1);  // between withdraw and deposit
    const auto stm = explore("stm/compose", {{"sync", 0}});
    CHECK(stm.complete);
    CHECK(outcomes(stm) == std::set<std::string>{"auditor saw 30", "auditor saw 70"});
    CHECK(stm.findings.empty());
}

TEST_CASE("a payer short of funds sleeps in retry, not polling, until the salary commits") {
    scenes::Settings s;
    s.policy = engine::Policy::Cooperative;  // the payer runs first and finds 30 < 50
    s.params = {{"sync", 0}};
    auto run = scenes::find_scene("stm/compose")->build(s);
    run->sched().run(50000);
    CHECK(run->outcome().headline.find("slept in retry 1 time") != std::string::npos);
    std::size_t payer_steps_while_asleep = 0;
    bool asleep = false;
    for (const auto& e : run->rt().trace().events()) {
        if (e.task != 0) continue;
        if (e.kind == engine::EventKind::TxRetry) asleep = e.value == 0;
        else if (asleep) ++payer_steps_while_asleep;
    }
    CHECK(payer_steps_while_asleep == 0);
}

TEST_CASE("one hot variable rolls back more attempts than the same work spread over four") {
    std::uint64_t hot = 0, spread = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        hot += stm_of(*finished("stm/contention", seed, {{"tasks", 4}, {"each", 2}, {"vars", 1}})).stats().aborts_total();
        spread += stm_of(*finished("stm/contention", seed, {{"tasks", 4}, {"each", 2}, {"vars", 4}})).stats().aborts_total();
    }
    CHECK(hot > 2 * spread);
    MESSAGE("rollbacks over 10 seeds: " << hot << " with one hot variable, " << spread << " spread over four");
}

TEST_CASE("the bank scene's trace is the same for the same seed, natively and in WebAssembly") {
    const auto run = finished("stm/bank", 7, {});
    CHECK(run->outcome().headline.rfind("total = 300: conserved", 0) == 0);
    CHECK(run->rt().trace().hash() == finished("stm/bank", 7, {})->rt().trace().hash());
    CHECK(run->rt().trace().hash() == 15103122698776276486ull);  // the WebAssembly build runs this same check
}
