// What an exploration says of a scene's claim: one judgement for the app's
// panel, the talk and the CLI.
#pragma once
#include <algorithm>
#include <string>

#include "engine/explorer.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {

struct ClaimVerdict {
    bool went_wrong = false;  // some schedule ended in a bad outcome
    bool holds = false;   // shown (a claim that something goes wrong) or proved (that nothing does)
    bool broken = false;  // refuted; neither: not settled within the search's limits
    // A claim that nothing goes wrong, proved for every schedule within the search's preemption bound
    // (ExploreResult::within_bound) and no further: not `holds`, which is for every schedule.
    bool holds_within_bound = false;
    std::string why;
};

// A claim that something goes wrong is shown by one schedule and refuted only
// by the whole search; a claim that nothing does is proved only by the whole
// search and refuted by one bad schedule, even before the search is complete.
// A search bounded by preemptions that ran to its bound settles either claim
// within the bound only, and says so.
inline ClaimVerdict judge(const Claim& claim, const engine::ExploreResult& r) {
    ClaimVerdict v;
    v.went_wrong = std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const engine::Outcome& o) { return o.bad; });
    const bool went_wrong = v.went_wrong;
    v.holds = claim.goes_wrong ? went_wrong : (!went_wrong && r.complete);
    v.broken = claim.goes_wrong ? (!went_wrong && r.complete) : went_wrong;
    v.holds_within_bound = !claim.goes_wrong && !went_wrong && !r.complete && r.within_bound >= 0;
    const std::string preemptions = scenes::counted(r.within_bound, "preemption");
    v.why = v.holds      ? (claim.goes_wrong ? "true: a schedule shows it" : "true: every schedule was run")
            : v.broken   ? (claim.goes_wrong ? "false: no schedule goes wrong" : "false: a schedule breaks it")
            : v.holds_within_bound ? "true within " + preemptions + " (all such schedules run; not proved beyond)"
            : claim.goes_wrong && r.within_bound >= 0 ? "not shown within " + preemptions
            : claim.goes_wrong ? "not shown within the search's limits"
                               : "not proved: the search stopped early";
    return v;
}

// How a search ended, as the app and the CLI say it: "complete"; "complete
// within 5,000 steps a run (1 run cut there)" when the depth bound cut runs,
// which are findings (livelock?) and not proof of anything past the bound;
// else "bounded by" the limit that stopped it.
inline std::string search_end_words(const engine::ExploreResult& r) {
    if (!r.complete) return "bounded by " + r.bounded_by;
    if (r.cut_at_depth == 0) return "complete";
    return "complete within " + scenes::grouped(static_cast<long>(r.max_depth)) + " steps a run (" +
           scenes::counted(static_cast<long>(r.cut_at_depth), "run") + " cut there)";
}

}  // namespace such::scenes
