// Keys as a user presses them (SDL key events through the shell's handler):
// a digit schedules that task, the hint line tells the truth after a deadlock
// and at the end, and the help overlay lists every key of the table.
#include <SDL.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

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
    CHECK(h.frame() > 200);
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
    CHECK(h.frame() > 200);
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
        CHECK(h.frame() > 200);
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
