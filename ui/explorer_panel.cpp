// The explorer panel: runs the search off the UI thread (or in slices) and
// draws what it found.
#include "ui/explorer_panel.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "imgui.h"
#include "scenes/claim.hpp"
#include "ui/view_parts.hpp"
#include "ui/workers.hpp"

namespace such::ui {

namespace {
// Spaces become no-break spaces, so "count = 2 in 3" never wraps mid-way.
std::string unbroken(const std::string& text) {
    std::string out;
    for (const char c : text) out += c == ' ' ? std::string("\xC2\xA0") : std::string(1, c);
    return out;
}
}  // namespace

namespace {
// An outcome on a slide: whole up to `max` bytes, else cut at a word before it, with an ellipsis (a
// slide has no room for the count of characters a quoted input gets).
std::string clipped(const std::string& text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t cut = text.rfind(' ', max);
    if (cut == std::string::npos || cut < max / 2) cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    return text.substr(0, cut) + "\xE2\x80\xA6";
}
}  // namespace

std::string schedules_words(const engine::ExploreResult& r, std::string_view this_run) {
    std::string out = scenes::counted(static_cast<long>(r.executions), r.cooperative ? "cooperative schedule" : "schedule") +
                      (r.complete              ? ""
                       : r.within_bound >= 0 ? " with at most " + scenes::counted(r.within_bound, "preemption")
                                             : std::string(" (a bounded search)"));
    if (r.outcomes.size() == 1) {
        const engine::Outcome& o = r.outcomes[0];
        const std::string ends = !this_run.empty() && o.outcome == this_run ? "as this run did" : "in " + clipped(o.outcome, 80);
        return out + (r.executions == 1 ? ", ending " : ", every one ends ") + ends + (o.bad ? " (wrong)" : "");
    }
    // The wrong outcomes first (they are what the search is for), then the most frequent; where there
    // are more than fit, the last place goes to the most frequent right one, so a right one is shown.
    std::vector<const engine::Outcome*> order;
    for (const engine::Outcome& o : r.outcomes) order.push_back(&o);
    std::stable_sort(order.begin(), order.end(), [](const engine::Outcome* a, const engine::Outcome* b) {
        return a->bad != b->bad ? a->bad : a->executions > b->executions;
    });
    // Four fit the stage's lines; a fifth and last takes about the room "and 1 more outcome" would, and it
    // may be the one the slide is about (the counter's worst case, counter = 2).
    constexpr std::size_t kFit = 4;
    const std::size_t shown = order.size() == kFit + 1 ? kFit + 1 : kFit;
    if (order.size() > shown && order[shown - 1]->bad) {
        const auto right = std::find_if(order.begin(), order.end(), [](const engine::Outcome* o) { return !o->bad; });
        if (right != order.end()) std::rotate(order.begin() + shown - 1, right, right + 1);
    }
    // Outcomes that have commas of their own are set apart by semicolons.
    const bool commas = std::any_of(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(std::min(shown, order.size())),
                                    [](const engine::Outcome* o) { return o->outcome.find(',') != std::string::npos; });
    const char* between = commas ? "; " : ", ";
    for (std::size_t i = 0; i < order.size() && i < shown; ++i) {
        const engine::Outcome& o = *order[i];
        std::string piece = scenes::grouped(static_cast<long>(o.executions)) + (i ? " in " : o.executions == 1 ? " ends in " : " end in ") + clipped(o.outcome, 80);
        if (o.outcome.size() <= 40) piece = unbroken(piece);
        out += (i ? between : ": ") + piece + (o.bad ? "\xC2\xA0(wrong)" : "");
    }
    if (order.size() > shown) out += between + std::string("and ") + scenes::counted(static_cast<long>(order.size() - shown), "more outcome");
    return out;
}

ExplorerPanel::~ExplorerPanel() { stop_worker(); }

void ExplorerPanel::stop_worker() {
    cancel();
    if (worker_.joinable()) worker_.join();
    waiting_for_worker_ = false;
    running_ = false;
}

void ExplorerPanel::reset() {
    stop_worker();
    current_ = nullptr;
    explorer_.reset();
    within_.reset();
    std::lock_guard lock(mutex_);
    shown_ = {};
    cached_ = {};
    strategy_.clear();
    strategy_cached_.clear();
    claim_ = {};
    search_bound_ = -1;
    whole_tried_ = 0;
}

void ExplorerPanel::start(const scenes::Scene& scene, const scenes::Settings& settings) {
    engine::ExploreOptions options;
    options.preemption_bound = bound;
    options.reduction = static_cast<engine::ExploreOptions::Reduction>(reduction);
    options.max_executions = static_cast<std::uint64_t>(std::max(1, max_executions));
    options.time_limit_s = static_cast<double>(std::max(1, time_limit_s));
    options.max_depth = static_cast<std::uint64_t>(std::max(10, max_depth));
    options.hunt = hunt ? engine::kHuntBudget : 0;
    launch(scene, settings, options);
}

void ExplorerPanel::start_on_stage(const scenes::Scene& scene, const scenes::Settings& settings) {
    // Where a claim that nothing goes wrong has a bound to fall back on, the search of every schedule
    // stops at kStageExecutions and the one within the bound is made now, run only if the first leaves
    // the claim unsettled (within_next), by whoever runs the first: the worker, or the frames.
    // (A cooperative search has no preemptions to bound: ExploreOptions::cooperative_cores.)
    const bool fallback = scene.proof_bound >= 0 && !scene.claim(settings).goes_wrong && settings.policy != engine::Policy::Cooperative;
    engine::ExploreOptions options;
    options.max_executions = fallback ? kStageExecutions : static_cast<std::uint64_t>(std::max(1, max_executions));
    options.time_limit_s = kStageSeconds;
    options.max_depth = static_cast<std::uint64_t>(std::max(10, max_depth));
    options.hunt = 0;  // the talk counts schedules (a hunt's runs would count some twice)
    engine::ExploreOptions within = options;
    within.preemption_bound = scene.proof_bound;
    within.max_executions = static_cast<std::uint64_t>(std::max(1, max_executions));
    launch(scene, settings, options, fallback ? &within : nullptr);
}

void ExplorerPanel::launch(const scenes::Scene& scene, const scenes::Settings& settings, const engine::ExploreOptions& options,
                           const engine::ExploreOptions* within) {
    reset();
    explorer_ = scenes::make_explorer(scene, settings, options);
    search_bound_ = explorer_->options().preemption_bound;  // none where the policy is cooperative
    if (within) within_ = scenes::make_explorer(scene, settings, *within);
    claim_ = scene.claim(settings);
    proof_bound_ = scene.proof_bound;
    started_at_ = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    current_ = explorer_.get();
    running_ = true;
    waiting_for_worker_ = threads_;
    if (waiting_for_worker_ && workers_ready(1)) launch_worker();
}

// Once the search of every schedule has ended: what it settled stays; cut by its limits, a claim that
// nothing goes wrong is searched again within the scene's bound (start_on_stage). Null: nothing next.
engine::Explorer* ExplorerPanel::within_next(engine::Explorer* ended) {
    if (!within_ || ended != explorer_.get()) return nullptr;
    const engine::ExploreResult& r = ended->result();
    if (r.complete || scenes::judge(claim_, r).went_wrong || r.bounded_by == "cancelled") return nullptr;
    whole_tried_ = r.executions;
    search_bound_ = within_->options().preemption_bound;
    current_ = within_.get();
    return within_.get();
}

// The search on a thread of its own, once a worker can take it (workers.hpp).
void ExplorerPanel::launch_worker() {
    waiting_for_worker_ = false;
    worker_ = std::thread([this] {
        // The search outside the lock, only its copy for the panel inside: held through advance(), the
        // lock was free only between two searches' slices, and the panel (which never waits for it)
        // showed 0 executions until the end (found by a review in Chromium).
        engine::Explorer* e = current_;
        while (e) {
            const bool more = e->advance(64);
            engine::Explorer* next = more ? e : within_next(e);
            {
                std::lock_guard lock(mutex_);
                shown_ = (next ? next : e)->result();
                strategy_ = (next ? next : e)->strategy();
            }
            e = next;
        }
        running_ = false;
    });
}

void ExplorerPanel::cancel() {
    if (explorer_) explorer_->cancel();
    if (within_) within_->cancel();
}

void ExplorerPanel::tick() {
    if (waiting_for_worker_ && workers_ready(1)) launch_worker();
    if (threads_ || !current_ || !running_) return;
    // Single-threaded: about 8 ms of search per frame keeps the page responsive.
    const auto start = std::chrono::steady_clock::now();
    engine::Explorer* e = current_;
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(8)) {
        if (!e->advance(16)) {
            engine::Explorer* next = within_next(e);
            if (!next) {
                running_ = false;
                break;
            }
            e = next;
        }
    }
    shown_ = e->result();
    strategy_ = e->strategy();
}

ExplorerPanel::ClaimLine ExplorerPanel::claim_line(const engine::ExploreResult& r) const {
    const scenes::ClaimVerdict v = scenes::judge(claim_, r);
    return {"claim \"" + claim_.text + "\": " + v.why, v};
}

// Never waits for the worker: if it holds the lock, the last copy is shown.
engine::ExploreResult ExplorerPanel::snapshot() const {
    if (mutex_.try_lock()) {
        cached_ = shown_;
        strategy_cached_ = strategy_;
        mutex_.unlock();
    }
    return cached_;
}

const engine::Finding* ExplorerPanel::draw(const Fonts&, bool scroll_results) {
    const Palette& pal = palette();
    const float em = ImGui::GetFontSize();
    if (running_) {
        if (ImGui::Button("Cancel")) cancel();
        tooltip("Stops the search; what it found so far stays.");
        if (waiting_for_worker_) {
            ImGui::SameLine();
            ImGui::TextDisabled("starting a Web Worker...");
        }
    } else {
        ImGui::TextUnformatted("Explore every schedule:");
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("at most 4").x + em * 1.5f);
    ImGui::SliderInt("preemptions", &bound, -1, 4, bound < 0 ? "any" : "at most %d");
    tooltip("A preemption is a switch away from a task that could have gone on. \"any\" searches every schedule; "
            "\"at most N\" only those with N or fewer such switches: far fewer runs, and most bugs need only one or two.");
    static const std::vector<std::string> kReductions = {"every interleaving", "sleep sets", "DPOR + sleep sets"};
    static const std::vector<std::string> kReductionHelp = {
        "Runs every order of the steps: exact, and slow past a few tasks.",
        "Sleep sets skip a schedule that only swaps two independent steps (ones that touch different objects) of one already run.",
        "Dynamic partial-order reduction: runs a schedule only for each order of the conflicting steps (steps on one object, "
        "one of them a write), found while exploring; sleep sets skip most repeats. The same outcomes as every interleaving, in far fewer runs."};
    choice_combo("reduction", reduction, kReductions, kReductionHelp);
    tooltip("How many schedules the explorer can skip without missing an outcome.");
    ImGui::SameLine();
    ImGui::Checkbox("hunt first", &hunt);
    tooltip("Before the search of every schedule, look for a bug fast: the schedules with no preemption, then with one "
            "(most bugs need one or two), then runs under random task priorities (PCT), which find a bug that needs d "
            "orderings with a known probability per run. Up to 10,000 runs; it stops at the first bug, and the full search follows.");
    if (ImGui::TreeNode("limits")) {
        ImGui::SetNextItemWidth(em * 8);
        ImGui::DragInt("executions", &max_executions, 1000.0f, 1, 100000000, "at most %d");
        tooltip("The explorer stops after this many runs (then it says it is not complete).");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 6);
        ImGui::SliderInt("seconds", &time_limit_s, 1, 600);
        tooltip("The explorer stops after this long.");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 6);
        ImGui::DragInt("steps per run", &max_depth, 10.0f, 10, 1000000);
        tooltip("A run longer than this is cut short (a loop that never ends).");
        ImGui::TreePop();
    }
    const engine::ExploreResult r = snapshot();
    if (!current_) return nullptr;

    const double secs = std::max(r.seconds, 1e-6);
    const std::string doing = running_ ? "exploring (" + strategy_cached_ + ")" : "done";
    // The counts are the search's: the hunt's runs (which the search may
    // repeat) are said apart, so a search counts the same with or without it.
    if (r.cooperative) {
        ImGui::TextWrapped("The cooperative policy: only the schedules a cooperative scheduler could pick, a switch only where a "
                           "task yields, blocks or ends, each one run (no reduction, no hunt, no preemption bound).");
    }
    // Grouped as the outcomes' counts below are ("113,726 executions", beside "113,400").
    ImGui::TextWrapped("%s: %s (%s cut short), %s per second, depth %zu%s", doing.c_str(),
                scenes::counted(static_cast<long>(r.searched()), "execution").c_str(), scenes::grouped(static_cast<long>(r.pruned)).c_str(),
                scenes::grouped(std::lround(static_cast<double>(r.executions + r.pruned) / secs)).c_str(), r.max_depth,
                !running_ ? (", " + scenes::search_end_words(r)).c_str() : "");
    if (running_) {
        const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        ImGui::ProgressBar(static_cast<float>(std::fmod(now - started_at_, 1.0)), ImVec2(-1, em * 0.4f), "");
    }

    if (r.hunted > 0) {
        // The run number counts the hunt's runs and the search's together, as they ran (the search's first ones
        // run between the preemption bounds and random priorities): 148 hunted, 1,000 searched, found at 1,148.
        const std::string trial = r.trial > 0 ? " (and between its two parts the search's first " + scenes::grouped(static_cast<long>(r.trial)) + ")" : "";
        ImGui::TextWrapped("hunted %s runs for a bug first%s%s", scenes::grouped(static_cast<long>(r.hunted)).c_str(), trial.c_str(),
                           r.found_by.empty() ? "" : ("; the first bad outcome came at run " + scenes::grouped(static_cast<long>(r.found_after)) +
                                                      " of all made, trying " + r.found_by).c_str());
    } else if (!r.found_by.empty()) {
        ImGui::TextWrapped("the first bad outcome came at run %s", scenes::grouped(static_cast<long>(r.found_after)).c_str());
    }
    // The verdict on the scene's claim first; then the outcomes and the findings, as many as the search
    // found: side by side they scroll in a box of their own (the pane keeps its text size for them).
    if (!running_) {
        const ClaimLine claim = claim_line(r);
        const scenes::ClaimVerdict& v = claim.verdict;
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(v.holds || v.holds_within_bound ? pal.good : v.broken ? pal.bad : pal.ready));
        ImGui::TextWrapped("%s", claim.text.c_str());
        ImGui::PopStyleColor();
        if (!v.holds && !v.broken && !claim_.goes_wrong && proof_bound_ >= 0 && bound < 0 && !r.cooperative) {
            ImGui::TextWrapped("Every schedule is too many to finish here: set preemptions to at most %d to prove the claim "
                               "within them, as the tests do.", proof_bound_);
        }
    }
    const bool boxed = scroll_results && ImGui::GetContentRegionAvail().y > ImGui::GetTextLineHeightWithSpacing() * 3;
    if (boxed) ImGui::BeginChild("results", ImVec2(0, 0), false);
    // The outcome histogram: one bar per final state, red when it is bad.
    std::uint64_t most = 1;
    for (const auto& o : r.outcomes) most = std::max(most, o.searched());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float width = ImGui::GetContentRegionAvail().x;
    for (const auto& o : r.outcomes) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float h = ImGui::GetTextLineHeight();
        const std::uint64_t searched = o.searched();
        const float w = std::max(2.0f, width * 0.45f * static_cast<float>(searched) / static_cast<float>(most));
        dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), o.bad ? pal.bad : pal.good, 3.0f);
        ImGui::Dummy(ImVec2(width * 0.45f, h));
        ImGui::SameLine();
        // Reached by the hunt alone: a dash, not a count of 0 (which reads as "never"), and how often the hunt saw it.
        const std::string count = searched == 0 ? "-" : scenes::grouped(static_cast<long>(searched));
        const std::string by_hunt = searched == 0 ? " (seen " + scenes::counted(static_cast<long>(o.hunted), "time") + " in the hunt; not yet by the search)" : "";
        ImGui::TextWrapped("%s  %s%s", count.c_str(), fitted(o.outcome).c_str(), by_hunt.c_str());
    }
    const engine::Finding* picked = nullptr;
    for (std::size_t i = 0; i < r.findings.size() && i < 8; ++i) {
        const auto& f = r.findings[i];
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::SmallButton("replay")) {
            clicked_ = f;
            picked = &clicked_;
        }
        tooltip("Loads this schedule: \xE2\x86\x92 steps through it to where it goes wrong (marked on the timeline).");
        ImGui::PopID();
        ImGui::SameLine();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.bad), "%s:", f.kind.c_str());
        ImGui::SameLine();
        ImGui::TextWrapped("%s (%zu steps)", fitted(f.detail).c_str(), f.choices.size());
    }
    if (boxed) ImGui::EndChild();
    return picked;
}

}  // namespace such::ui
