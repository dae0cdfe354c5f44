// Challenges ("you are the scheduler"): opening one, noticing when its goal
// is reached, the explorer's winning schedule, the progress kept, and the
// challenges page and the banner above a challenge's scene.
#include <memory>

#include "engine/explorer.hpp"
#include "imgui.h"
#include "ui/app.hpp"
#include "ui/deep_link.hpp"
#include "ui/view_parts.hpp"

namespace such::ui {
namespace {
ImVec4 colour(unsigned c) { return ImGui::ColorConvertU32ToFloat4(c); }
}  // namespace

bool App::open_challenge(std::size_t index) {
    const auto& all = scenes::challenges();
    if (index >= all.size()) {
        last_error_ = "no challenge " + std::to_string(index + 1) + ": there are challenges 1 to " + std::to_string(all.size());
        return false;
    }
    if (!progress_.unlocked(index)) {
        last_error_ = "challenge " + std::to_string(index + 1) + " opens once \"" + all[index - 1].title + "\" is solved";
        return false;
    }
    Link link;
    std::string error;
    if (!parse_link(all[index].link, link, error)) {
        last_error_ = "challenge " + std::to_string(index + 1) + " cannot open its scene: " + error;
        return false;
    }
    leave_modes();
    challenge_ = static_cast<int>(index);
    challenge_won_ = false;
    solution_shown_ = false;
    hint_shown_ = false;
    challenge_link_ = make_link(*link.scene, link.settings);
    load_scene(*link.scene, link.settings);
    return true;
}

// A win is recorded the moment the goal holds (not when the run ends), with
// the steps it took, when the player picked every one of those steps: a
// solution the app showed, an explorer's finding replayed, a trace opened, or
// a seed's schedule (another policy) reach the goal but solve nothing.
bool App::challenge_counts() const {
    return player_.run() && !solution_shown_ && player_.picked_all();
}

void App::check_challenge() {
    if (challenge_ < 0 || !player_.run()) return;
    const scenes::Challenge& c = scenes::challenges()[static_cast<std::size_t>(challenge_)];
    // Another seed, policy or parameter is another game: it wins nothing.
    const bool won = make_link(*player_.scene(), player_.settings()) == challenge_link_ && c.reached(*player_.run());
    if (won && !challenge_won_ && challenge_counts() && progress_.record(c.id, player_.run()->sched().steps())) progress_dirty_ = true;
    challenge_won_ = won;
}

// The explorer searches the schedules for ones that reach the goal and keeps
// the shortest; it then replays step by step like any finding.
bool App::show_solution() {
    if (challenge_ < 0 || !player_.scene()) {
        last_error_ = "open a challenge first";
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
    const scenes::Challenge& c = scenes::challenges()[static_cast<std::size_t>(challenge_)];
    engine::Finding best{"solution", c.goal, {}, {}};
    scenes::Settings settings = player_.settings();
    settings.policy = engine::Policy::Manual;
    settings.replay.clear();
    settings.picks.clear();
    engine::ExploreOptions options;
    options.max_executions = 20000;
    options.time_limit_s = 3.0;
    const scenes::Scene& scene = *player_.scene();
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
        last_error_ = "the explorer found no schedule that reaches the goal within its limits";
        return false;
    }
    solution_shown_ = true;
    replay_finding(best);
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
        challenges_page_ = true;
        return true;
    }
    if (verb == "solution") return show_solution();
    if (verb == "hint") {
        if (challenge_ < 0) {
            last_error_ = "open a challenge first";
            return false;
        }
        hint_shown_ = true;
        return true;
    }
    return std::nullopt;
}

std::string App::challenge_json() const {
    const auto flag = [](bool b) { return b ? "true" : "false"; };
    return ",\"challenge\":{\"open\":" + std::to_string(challenge_ + 1) + ",\"won\":" + flag(challenge_won_) +
           ",\"counts\":" + flag(challenge_counts()) + ",\"hint\":" + json_string(hint_shown_ && challenge_ >= 0 ? scenes::challenges()[static_cast<std::size_t>(challenge_)].hint : "") +
           ",\"solved\":" + std::to_string(progress_.best.size()) + "}";
}

bool App::load_progress(std::string_view text, std::string& error) {
    return scenes::Progress::parse(text, progress_, error);
}

// [SECTION] Drawing

void App::draw_challenges_page() {
    ImGui::PushFont(fonts_.title);
    ImGui::TextUnformatted("Challenges: you are the scheduler");
    ImGui::PopFont();
    ImGui::TextWrapped("Each challenge is a scene where you pick which task runs next. Reach the goal and the app says so, "
                       "with the steps it took; the next challenge then opens. Your progress is kept on this machine.");
    if (!last_error_.empty()) ImGui::TextColored(colour(palette().bad), "%s", fitted(last_error_, 2000).c_str());
    ImGui::Spacing();
    const auto& all = scenes::challenges();
    for (std::size_t i = 0; i < all.size(); ++i) {
        const scenes::Challenge& c = all[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::Separator();
        const bool open = progress_.unlocked(i);
        ImGui::BeginDisabled(!open);
        if (ImGui::Button(open ? "Play" : "Locked")) command("challenge " + std::to_string(i + 1));
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::PushFont(fonts_.title);
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
}

void App::draw_challenge_banner() {
    const scenes::Challenge& c = scenes::challenges()[static_cast<std::size_t>(challenge_)];
    ImGui::TextColored(colour(palette().accent), "Challenge %d: %s", challenge_ + 1, c.goal.c_str());
    ImGui::SameLine();
    const auto start_again = [&] {
        ImGui::SameLine();
        if (ImGui::SmallButton("Start the challenge again")) command("challenge " + std::to_string(challenge_ + 1));
        tooltip("Back to step 0 with the challenge's settings: the steps you pick from there count.");
    };
    if (challenge_won_ && challenge_counts()) {
        ImGui::TextColored(colour(palette().good), "  Goal reached in %llu steps!", static_cast<unsigned long long>(player_.run()->sched().steps()));
        const std::size_t next = static_cast<std::size_t>(challenge_) + 1;
        if (next < scenes::challenges().size() && progress_.unlocked(next)) {
            ImGui::SameLine();
            if (ImGui::Button("Next challenge")) command("challenge " + std::to_string(next + 1));
        }
    } else if (make_link(*player_.scene(), player_.settings()) != challenge_link_) {
        ImGui::TextColored(colour(palette().bad), "  the settings changed: this run does not count");
        start_again();
    } else if (!challenge_counts()) {
        ImGui::TextColored(colour(palette().muted), challenge_won_ ? "  reached by a schedule you did not pick: it does not count"
                                                                   : "  replaying a schedule you did not pick: it will not count");
        start_again();
    } else {
        if (hint_shown_) {
            ImGui::TextDisabled("  hint: %s", c.hint.c_str());
        } else if (ImGui::SmallButton("Show a hint")) {
            command("hint");
        }
        tooltip("A nudge towards the goal; it does not change what counts.");
        ImGui::SameLine();
        if (ImGui::SmallButton("Show a winning schedule")) command("solution");
        tooltip("The explorer finds the shortest schedule that reaches the goal and replays it (\xE2\x86\x92 steps). "
                "A schedule you did not pick does not solve the challenge.");
    }
}

}  // namespace such::ui
