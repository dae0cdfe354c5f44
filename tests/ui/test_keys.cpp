// Keys as a user presses them (SDL key events through the shell's handler):
// a digit schedules that task, the hint line tells the truth after a deadlock
// and at the end, and the help overlay lists every key of the table; P plays
// and pauses what is open, Esc closes the innermost popup first, and a live
// slide's keys change what its speaker notes ask for.
#include <SDL.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "imgui.h"
#include "tests/ui/headless.hpp"
#include "ui/keys.hpp"
#include "ui/shell.hpp"

using namespace such;

namespace {
void press(ui::App& app, SDL_Keycode key, Uint16 mod = KMOD_NONE) {
    SDL_KeyboardEvent e{};
    e.type = SDL_KEYDOWN;
    e.state = SDL_PRESSED;
    e.keysym.sym = key;
    e.keysym.mod = mod;
    ui::handle_key(app, e);
}

std::string field(const std::string& json, const std::string& name) {
    const std::string key = "\"" + name + "\":\"";
    const auto at = json.find(key);
    if (at == std::string::npos) return {};
    return json.substr(at + key.size(), json.find('"', at + key.size()) - at - key.size());
}

std::size_t slide_of(std::string_view link) {
    for (std::size_t i = 0; i < scenes::deck().size(); ++i) {
        if (scenes::deck()[i].link.starts_with(link)) return i + 1;
    }
    return 0;
}
}  // namespace

TEST_CASE("a digit key makes the task with that number take the next step; other policies say why it does nothing") {
    Headless h;
    ui::App by_pick;  // the same choices through the pick command, which names tasks by id
    REQUIRE(h.app.open_link("#race?seed=1&policy=manual"));
    REQUIRE(by_pick.open_link("#race?seed=1&policy=manual"));
    // The tasks are numbered from 1 on their buttons and lanes ("run me  [2]"): digit N is task id N - 1.
    press(h.app, SDLK_2);
    press(h.app, SDLK_KP_1);  // the keypad's digits too
    press(h.app, SDLK_2);
    REQUIRE(by_pick.command("pick 1"));
    REQUIRE(by_pick.command("pick 0"));
    REQUIRE(by_pick.command("pick 1"));
    CHECK(h.has("\"step\":3"));
    CHECK(field(h.app.state_json(), "trace_hash") == field(by_pick.state_json(), "trace_hash"));
    CHECK(h.drew_text());
    // The race has two tasks: 3 names none, and says so.
    press(h.app, SDLK_3);
    CHECK(h.has("\"step\":3"));
    CHECK(h.app.last_error() == "no task 3: the tasks are numbered 1 to 2");
    // Under a policy that picks by itself a digit changes nothing and says why.
    REQUIRE(h.app.command("policy preemptive"));
    press(h.app, SDLK_1);
    CHECK(h.has("\"step\":0"));
    CHECK(h.app.last_error() == "a digit picks a task when you are the scheduler: choose the manual policy");
}

TEST_CASE("manual: the right arrow repeats remembered choices and otherwise says it does not choose") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=1&policy=manual"));
    press(h.app, SDLK_RIGHT);
    CHECK(h.has("\"step\":0"));
    CHECK(h.app.last_error() == "\xE2\x86\x92 and Play only repeat your choices: press 1 \xE2\x80\x93 2 (or run me)");
    press(h.app, SDLK_SPACE);  // Play: the same
    CHECK(h.has("\"playing\":false"));
    press(h.app, SDLK_2);
    press(h.app, SDLK_LEFT);
    CHECK(h.has("\"step\":0"));
    CHECK(field(h.app.state_json(), "hint_line").starts_with("\xE2\x86\x92 repeats your choice (T2)"));
    press(h.app, SDLK_RIGHT);
    CHECK(h.has("\"step\":1"));
}

TEST_CASE("the hint line tells the truth: after a deadlock and at the end it no longer asks for a pick") {
    Headless h;
    // Three naive philosophers, each picked in turn: each takes its left fork,
    // then waits for its right one, held by its neighbour (the talk's deadlock).
    REQUIRE(h.app.open_link("#threads/philosophers?seed=1&policy=manual&n=3&meals=1&strategy=0"));
    CHECK(field(h.app.state_json(), "hint_line") == "you are the scheduler: press 1 \xE2\x80\x93 3 (or run me)");
    for (int round = 0; round < 10 && !h.has("\"verdict\":\"deadlock\""); ++round) {
        for (SDL_Keycode k : {SDLK_1, SDLK_2, SDLK_3}) press(h.app, k);
    }
    REQUIRE(h.has("\"verdict\":\"deadlock\""));
    CHECK(field(h.app.state_json(), "hint_line") == "deadlock: every task waits; \xE2\x86\x90 back, R restart");
    CHECK(h.drew_text());
    // A run that ends: the race, each task to its end.
    REQUIRE(h.app.open_link("#race?seed=1&policy=manual"));
    for (int i = 0; i < 20 && h.has("\"verdict\":\"running\""); ++i) {
        press(h.app, SDLK_1);
        press(h.app, SDLK_2);
    }
    REQUIRE(h.has("\"verdict\":\"finished\""));
    CHECK(field(h.app.state_json(), "hint_line") == "the run is over; \xE2\x86\x90 back, R restart");
}

TEST_CASE("?, F1 and H open the help overlay, which lists every key of the table; Esc closes it first") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=1"));
    for (SDL_Keycode open : {SDLK_F1, SDLK_h, SDLK_QUESTION}) {
        CAPTURE(open);
        press(h.app, open);
        CHECK(h.has("\"help\":{\"open\":true"));
        CHECK(h.drew_text());
        const std::string json = h.app.state_json();
        const auto table = ui::key_table();
        for (const ui::KeyBinding& k : table) {
            CAPTURE(k.label);
            CHECK(json.find(ui::json_string(k.label)) != std::string::npos);
        }
        // As many rows drawn as the table has (a label shown twice would be counted twice).
        const std::string keys = json.substr(json.find("\"keys\":[") + 8);
        CHECK(static_cast<std::size_t>(std::count(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(keys.find(']')), '"')) == 2 * table.size());
        press(h.app, SDLK_ESCAPE);
        CHECK(h.has("\"help\":{\"open\":false"));
        CHECK(h.has("\"view\":\"scene\""));  // Esc closed the overlay, not the scene
    }
}

TEST_CASE("every key row runs a command the app knows") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=1&policy=manual"));
    for (const ui::KeyBinding& k : ui::key_table()) {
        if (k.command.empty()) continue;  // the editor's own keys
        CAPTURE(k.command);
        // Each row's command, with a digit where the row takes one.
        const std::string command = std::string(k.command) + (k.names.size() == 3 && k.names[1] == '-' ? " 1" : "");
        h.app.command(command);
        CHECK(h.app.last_error().find("unknown command") == std::string::npos);
        REQUIRE(h.app.open_link("#race?seed=1&policy=manual"));
    }
}

TEST_CASE("P plays and pauses an open scene; on the scene list it starts the talk, and F5 starts it from anywhere") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=7"));
    press(h.app, SDLK_p);
    CHECK(h.has("\"view\":\"scene\""));  // still the scene, not slide 1
    CHECK(h.has("\"playing\":true"));
    press(h.app, SDLK_p);
    CHECK(h.has("\"playing\":false"));
    press(h.app, SDLK_F5);
    CHECK(h.has("\"view\":\"talk\""));
    CHECK(h.has("\"slide\":1,"));
    REQUIRE(h.app.command("menu"));
    press(h.app, SDLK_p);
    CHECK(h.has("\"view\":\"talk\""));
    // Left with Esc on slide 20 (any slide past the first: the helper's), the talk resumes there (by F5 and
    // by P), not at its title; Home goes there.
    REQUIRE(h.app.command("slide 20"));  // 1-based, as the app's "slide" says; the state's "slide" is too
    press(h.app, SDLK_ESCAPE);
    CHECK(h.has("\"view\":\"menu\""));
    press(h.app, SDLK_F5);
    CHECK(h.has("\"slide\":20,"));
    press(h.app, SDLK_ESCAPE);
    press(h.app, SDLK_p);
    CHECK(h.has("\"slide\":20,"));
    press(h.app, SDLK_HOME);
    CHECK(h.has("\"slide\":1,"));
}

TEST_CASE("in the talk, C changes a live slide's cores and does nothing on a text slide (it was the challenges there, out of the talk)") {
    Headless h;
    for (std::size_t i = 0; i < scenes::deck().size(); ++i) {
        if (!scenes::deck()[i].link.empty()) continue;
        REQUIRE(h.app.command("slide " + std::to_string(i + 1)));
        press(h.app, SDLK_c);
        CHECK(h.has("\"view\":\"talk\""));
        CHECK(h.has("\"slide\":" + std::to_string(i + 1) + ","));
    }
    REQUIRE(h.app.command("menu"));
    press(h.app, SDLK_c);
    CHECK(h.has("\"view\":\"challenges\""));
}

TEST_CASE("Esc closes an open menu first, then leaves the scene; on stage it closes the notes before leaving the talk") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=7"));
    h.frame();
    // A click on the menu bar's first menu ("Scenes", at the top left) opens it.
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(ImGui::GetStyle().WindowPadding.x + ImGui::GetFontSize(), ImGui::GetFontSize() * 0.5f + 2.0f);
    io.MouseDown[0] = true;
    h.frame();
    io.MouseDown[0] = false;
    h.frame();
    REQUIRE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
    press(h.app, SDLK_ESCAPE);
    h.frame();
    CHECK_FALSE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
    CHECK(h.has("\"view\":\"scene\""));  // the scene is still open
    press(h.app, SDLK_ESCAPE);
    CHECK(h.has("\"view\":\"menu\""));

    REQUIRE(h.app.command("slide 4"));
    press(h.app, SDLK_n);
    press(h.app, SDLK_F1);
    CHECK(h.has("\"notes_overlay\":true"));
    press(h.app, SDLK_ESCAPE);  // the keys overlay first
    CHECK(h.has("\"help\":{\"open\":false"));
    CHECK(h.has("\"notes_overlay\":true"));
    press(h.app, SDLK_ESCAPE);
    CHECK(h.has("\"notes_overlay\":false"));
    CHECK(h.has("\"view\":\"talk\""));
    press(h.app, SDLK_ESCAPE);
    CHECK(h.has("\"view\":\"menu\""));
}

TEST_CASE("on a live slide C, S, O and V change cores, seed, policy and the slide's variant, and the slide plays again with them") {
    Headless h;
    // The talk's concurrency-vs-parallelism slide (issue 19: it only ever showed 1 core).
    const std::size_t parallel = slide_of("basics/parallelism");
    REQUIRE(parallel > 0);
    REQUIRE(h.app.command("slide " + std::to_string(parallel)));
    CHECK(h.has("\"playing\":true"));
    press(h.app, SDLK_PERIOD);  // one step, paused
    CHECK(h.has("\"playing\":false"));
    CHECK(h.has("\"step\":1,"));
    press(h.app, SDLK_COMMA);
    CHECK(h.has("\"step\":0,"));
    REQUIRE(h.app.command("next"));  // the outcome: the run at its end
    CHECK(h.has("\"cores\":1,"));
    const auto finish = [&h] {
        const std::string s = h.app.state_json();
        const auto at = s.find("\"time\":") + 7;
        return std::stoull(s.substr(at, s.find(',', at) - at));
    };
    const auto one_core = finish();
    press(h.app, SDLK_c);
    CHECK(h.has("\"cores\":2,"));
    press(h.app, SDLK_c);
    CHECK(h.has("\"cores\":4,"));
    CHECK(h.has("\"beat\":2"));  // still the outcome, now on 4 cores
    // The same work on 4 cores side by side: it finishes sooner.
    CHECK(finish() < one_core);
    press(h.app, SDLK_c);
    CHECK(h.has("\"cores\":1,"));

    press(h.app, SDLK_s);
    CHECK(h.has("\"seed\":2,"));
    press(h.app, SDLK_o);
    CHECK(h.has("\"policy\":\"cooperative\""));
    press(h.app, SDLK_o);
    CHECK(h.has("\"policy\":\"preemptive\""));

    // Philosophers: the slide's seed deadlocks (`such run threads/philosophers
    // --seed 1`); V goes from the naive order to the ordered one, which never does.
    REQUIRE(h.app.command("slide " + std::to_string(slide_of("threads/philosophers"))));
    REQUIRE(h.app.command("next"));
    CHECK(h.has("\"verdict\":\"deadlock\""));
    press(h.app, SDLK_v);
    CHECK(h.app.last_error().empty());
    CHECK(h.has("\"verdict\":\"finished\""));
    REQUIRE(h.app.command("prev"));
    CHECK(h.has("\"playing\":true"));  // the run from the start, playing, still ordered
    REQUIRE(h.app.command("next"));
    CHECK(h.has("\"verdict\":\"finished\""));
    // Off a live slide C leaves the speaker where they are (the next test case).
}
