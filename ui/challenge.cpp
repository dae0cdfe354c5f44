// Challenges ("you are the scheduler"): opening one, noticing when its goal
// is reached, the explorer's winning schedule, the progress kept, and the
// challenges page and the banner above a challenge's scene.
//
// Index
//   [SECTION] Challenges: the one played, its win, its solution
//   [SECTION] The app's challenge commands
//   [SECTION] Drawing
#include "ui/challenge.hpp"

#include <memory>

#include "engine/explorer.hpp"
#include "imgui.h"
#include "ui/app.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {
namespace {
ImVec4 colour(unsigned c) { return ImGui::ColorConvertU32ToFloat4(c); }
}  // namespace

// [SECTION] Challenges

std::string no_challenge(std::uint64_t number) {
    return "no challenge " + std::to_string(number) + ": there are challenges 1 to " + std::to_string(scenes::challenges().size());
}

bool Challenges::find(std::size_t index, Link& link, std::string& error) const {
    const auto& all = scenes::challenges();
    if (index >= all.size()) {
        error = no_challenge(index + 1);
        return false;
    }
    if (!progress_.unlocked(index)) {
        error = "challenge " + std::to_string(index + 1) + " opens once \"" + all[index - 1].title + "\" is solved";
        return false;
    }
    std::string why;
    if (!parse_link(all[index].link, link, why)) {
        error = "challenge " + std::to_string(index + 1) + " cannot open its scene: " + why;
        return false;
    }
    return true;
}

void Challenges::begin(std::size_t index, const Link& link) {
    current_ = static_cast<int>(index);
    won_ = false;
    solution_shown_ = false;
    hint_shown_ = false;
    link_ = make_link(*link.scene, link.settings);
}

// A win is recorded the moment the goal holds (not when the run ends), with
// the steps it took, when the player picked every one of those steps: a
// solution the app showed, an explorer's finding replayed, a trace opened, or
// a seed's schedule (another policy) reach the goal but solve nothing.
bool Challenges::counts(const ScenePlayer& player) const { return player.run() && !solution_shown_ && player.picked_all(); }

void Challenges::check(const ScenePlayer& player) {
    const scenes::Run* run = player.run();
    if (current_ < 0 || !run) return;
    const scenes::Challenge& c = scenes::challenges()[static_cast<std::size_t>(current_)];
    // Another seed, policy or parameter is another game: it wins nothing.
    const bool won = make_link(*player.scene(), player.settings()) == link_ && c.reached(*run);
    if (won && !won_) {
        won_at_ = run->sched().steps();
        if (counts(player) && progress_.record(c.id, won_at_)) progress_dirty_ = true;
    }
    won_ = won;
}

// The explorer searches the schedules for ones that reach the goal and keeps
// the shortest; the app then replays it step by step like any finding.
bool Challenges::solve(const ScenePlayer& player, engine::Finding& best, std::string& error) {
    if (current_ < 0 || !player.scene()) {
        error = "open a challenge first";
        return false;
    }
    // One run under the explorer: a win is noted when the run is dropped,
    // ended or cut short, since a goal may hold before the end.
    struct Attempt final : engine::Explorable {
        std::unique_ptr<scenes::Run> run;
        const scenes::Challenge* challenge = nullptr;
        engine::Finding* best = nullptr;
        ~Attempt() override {
            const auto& choices = run->sched().choices();
            if (challenge->reached(*run) && (best->choices.empty() || choices.size() < best->choices.size())) {
                best->choices = choices;
                best->picks = run->sched().picks();
            }
        }
        engine::Scheduler& sched() override { return run->sched(); }
        std::string outcome() override { return run->outcome_key(); }
        bool bad() override { return challenge->reached(*run); }
    };
    const scenes::Challenge& c = scenes::challenges()[static_cast<std::size_t>(current_)];
    best = engine::Finding{"solution", c.goal, {}, {}, {}};
    scenes::Settings settings = player.settings();
    settings.policy = engine::Policy::Manual;
    settings.replay.clear();
    settings.picks.clear();
    engine::ExploreOptions options;
    options.max_executions = 20000;
    options.time_limit_s = 3.0;
    const scenes::Scene& scene = *player.scene();
    engine::explore(
        [&] {
            auto a = std::make_unique<Attempt>();
            a->run = scene.build(settings);
            a->challenge = &c;
            a->best = &best;
            return a;
        },
        options);
    if (best.choices.empty()) {
        error = "the explorer found no schedule that reaches the goal within its limits";
        return false;
    }
    solution_shown_ = true;
    return true;
}

bool Challenges::show_hint(std::string& error) {
    if (current_ < 0) {
        error = "open a challenge first";
        return false;
    }
    hint_shown_ = true;
    return true;
}

std::string Challenges::json(const ScenePlayer& player) const {
    const auto flag = [](bool b) { return b ? "true" : "false"; };
    return ",\"challenge\":{\"open\":" + std::to_string(current_ + 1) + ",\"won\":" + flag(won_) + (won_ ? ",\"won_at\":" + std::to_string(won_at_) : std::string()) + ",\"counts\":" + flag(counts(player)) +
           ",\"hint\":" + json_string(hint_shown_ && current_ >= 0 ? scenes::challenges()[static_cast<std::size_t>(current_)].hint : "") +
           ",\"solved\":" + std::to_string(progress_.best.size()) + "}";
}

// [SECTION] The app's challenge commands

bool App::open_challenge(std::size_t index) {
    Link link;
    if (!challenges_.find(index, link, last_error_)) return false;
    leave_modes();
    challenges_.begin(index, link);
    load_scene(*link.scene, link.settings);
    return true;
}

// Challenge verbs; std::nullopt when the verb is not one of them.
std::optional<bool> App::challenge_command(std::string_view verb, std::string_view arg) {
    if (verb == "challenge") {
        std::uint64_t n = 0;
        if (!parse_u64(arg, n, 100000) || n == 0) {
            last_error_ = "challenge needs a number from 1 to " + std::to_string(scenes::challenges().size());
            return false;
        }
        return open_challenge(n - 1);
    }
    if (verb == "challenges") {
        leave_modes();
        show_menu();
        challenges_.show_page();
        link_ = "#challenges";  // the address says so, as a link that opened it would
        return true;
    }
    if (verb == "solution") {
        engine::Finding best;
        if (!challenges_.solve(player_, best, last_error_)) return false;
        replay_finding(best);
        return true;
    }
    if (verb == "hint") return challenges_.show_hint(last_error_);
    return std::nullopt;
}

// [SECTION] Drawing

std::string Challenges::draw_page(const Fonts& fonts, const std::string& error) const {
    std::string asked;
    ImGui::PushFont(fonts.title);
    ImGui::TextUnformatted("Challenges: you are the scheduler");
    ImGui::PopFont();
    ImGui::TextWrapped("Each challenge is a scene where you pick which task runs next. Reach the goal and the app says so, "
                       "with the steps it took; the next challenge then opens. Your progress is kept on this machine.");
    if (!error.empty()) ImGui::TextColored(colour(palette().bad), "%s", fitted(error, 2000).c_str());
    ImGui::Spacing();
    const auto& all = scenes::challenges();
    for (std::size_t i = 0; i < all.size(); ++i) {
        const scenes::Challenge& c = all[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::Separator();
        const bool open = progress_.unlocked(i);
        ImGui::BeginDisabled(!open);
        if (ImGui::Button(open ? "Play" : "Locked")) asked = "challenge " + std::to_string(i + 1);
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::PushFont(fonts.title);
        ImGui::Text("%zu. %s", i + 1, c.title.c_str());
        ImGui::PopFont();
        ImGui::TextWrapped("%s", c.goal.c_str());
        const auto best = progress_.best.find(c.id);
        if (best != progress_.best.end()) {
            ImGui::TextColored(colour(palette().good), "solved in %llu steps", static_cast<unsigned long long>(best->second));
        } else if (!open) {
            ImGui::TextDisabled("opens once \"%s\" is solved", all[i - 1].title.c_str());
        }
        ImGui::PopID();
    }
    return asked;
}

std::string Challenges::draw_banner(const ScenePlayer& player) const {
    std::string asked;
    const scenes::Challenge& c = scenes::challenges()[static_cast<std::size_t>(current_)];
    ImGui::TextColored(colour(palette().accent), "Challenge %d: %s", current_ + 1, c.goal.c_str());
    ImGui::SameLine();
    const auto start_again = [&] {
        ImGui::SameLine();
        if (ImGui::SmallButton("Start the challenge again")) asked = "challenge " + std::to_string(current_ + 1);
        tooltip("Back to step 0 with the challenge's settings: the steps you pick from there count.");
    };
    if (won_ && counts(player)) {
        ImGui::TextColored(colour(palette().good), "  Goal reached in %llu steps!", static_cast<unsigned long long>(won_at_));
        const std::size_t next = static_cast<std::size_t>(current_) + 1;
        if (next < scenes::challenges().size() && progress_.unlocked(next)) {
            ImGui::SameLine();
            if (ImGui::Button("Next challenge")) asked = "challenge " + std::to_string(next + 1);
        }
    } else if (make_link(*player.scene(), player.settings()) != link_) {
        ImGui::TextColored(colour(palette().bad), "  the settings changed: this run does not count");
        start_again();
    } else if (!counts(player)) {
        ImGui::TextColored(colour(palette().muted), won_ ? "  reached by a schedule you did not pick: it does not count"
                                                         : "  replaying a schedule you did not pick: it will not count");
        start_again();
    } else {
        if (hint_shown_) {
            ImGui::TextDisabled("  hint: %s", c.hint.c_str());
        } else if (ImGui::SmallButton("Show a hint")) {
            asked = "hint";
        }
        tooltip("A nudge towards the goal; it does not change what counts.");
        ImGui::SameLine();
        if (ImGui::SmallButton("Show a winning schedule")) asked = "solution";
        tooltip("The explorer finds the shortest schedule that reaches the goal and replays it (\xE2\x86\x92 steps). "
                "A schedule you did not pick does not solve the challenge.");
    }
    return asked;
}

}  // namespace such::ui
