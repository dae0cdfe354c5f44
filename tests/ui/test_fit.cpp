// Issue 19: every slide of the talk and every scene's panes fit at 1920x1080
// and 1280x720, with no scrollbar and nothing cut. ImGui keeps each window's
// content size from the last frame beside its visible size: a window whose
// content reaches past what it shows (ScrollMax > 0) hides part of its state.
// On a phone (390x844) every scene's panes stack into one column instead.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include "imgui.h"
#include "imgui_internal.h"
#include "scenes/program.hpp"
#include "tests/ui/headless.hpp"
#include "ui/fit_pane.hpp"
#include "ui/views.hpp"

using namespace such;

namespace {

struct Size {
    float w, h;
};
constexpr std::array<Size, 2> kSizes = {{{1920, 1080}, {1280, 720}}};
// The shell's body text (ui/shell.hpp ShellOptions::base_font_px).
constexpr float kShellBodyPx = 22.0f;
// Frames for a pane to settle: fitting shrinks for an overflow seen two frames in a row, from the next
// frame on (fit_pane.hpp); a pane still hiding something at its smallest text then takes room from its
// neighbour a little a frame (app_draw.cpp: up to ten frames at 1920x1080 for coroutines/green).
constexpr int kSettleFrames = 14;

// Windows meant to scroll, each with the reason; a window's name is its
// parent's path then "/<id>_<hash>", so these match anywhere in the path.
struct Scrolls {
    const char* window;
    bool down, across;
    const char* why;
};
constexpr std::array<Scrolls, 4> kMeantToScroll = {{
    {"/trace_list_", true, true, "the trace is a log: one line per step, as long as the run"},
    {"/results_", true, false, "the explorer's outcomes and findings: a line each, as many as the search found"},
    {"/timeline_", false, true, "the lanes grow a column per tick: a long run scrolls sideways (its height fits)"},
    {"/slide_timeline_", false, true, "the same lanes on a live slide"},
}};

// Live slides whose program listing is taller than the slide at the stage's
// smallest text (20 px body at 1920x1080, ui/talk_draw.cpp kStageFloor): the
// listing pane follows the running line instead (ui/views.cpp draw_tasks),
// its scrollbar showing there is more. (loop/blocked fits since the scene's words may go over the objects;
// loop/timers and loop/echo since the every-schedule beat's words take the lanes' box, not the panes' height.)
constexpr std::array<const char*, 1> kTallListings = {"loop/ordering"};
// The supervisor's listing fits once the scene's words go over its objects, which they do when the
// panes' measures say the code gains more than the objects lose; its panes' scales, kept per slide
// from earlier visits, tip that one either way. It may scroll, and need not.
constexpr std::array<const char*, 1> kMayBeTall = {"actors/supervisor"};
constexpr const char* kListingPane = "/slide_left_";

// Scenes whose objects and explored results do not fit the right column at
// 1280x720 above the smallest text a pane may have (10 px, ui/app_draw.cpp
// kSmallestPx): there the objects and the explorer's pane scroll down.
// (The explorer's outcomes and findings scroll in a box of their own: threads/philosophers fits now;
// the supervisor's and green threads' mailboxes fit since they flow into columns on the scene page too;
// loop/ordering's explorer has two outcomes since the explorer finds both orders node allows;
// loop/c10k's connections fit since they flow into columns under the loop, and its watch list wraps.)
constexpr std::array<const char*, 1> kCrowdedAt720 = {"loop/ordering"};
constexpr const char* kRightColumn = "/objects_|/trace_";

// "Such Concurrency/left_1A2B3C4D" -> "Such Concurrency/left": names without ImGui's hashes.
std::string readable(const char* name) {
    std::string out;
    for (const char* p = name; *p; ++p) {
        const bool hash = *p == '_' && std::strspn(p + 1, "0123456789ABCDEF") == 8 && (p[9] == '/' || p[9] == '\0');
        if (hash) {
            p += 8;
            continue;
        }
        out += *p;
    }
    return out;
}

// Every window of the last frame that hides content, in words ("" when all
// fit); `may_scroll_down`: more windows allowed to scroll down ("a|b").
// `scrolled` is set when an allowed window did scroll (an exception still needed).
std::string overflows(const char* may_scroll_down = nullptr, bool* scrolled = nullptr) {
    std::ostringstream out;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (!w->Active || w->Hidden || (w->Flags & (ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup))) continue;
        bool down = w->ScrollMax.y >= 1.0f, across = w->ScrollMax.x >= 1.0f;
        for (const Scrolls& s : kMeantToScroll) {
            if (std::string(w->Name).find(s.window) == std::string::npos) continue;
            down = down && !s.down;
            across = across && !s.across;
        }
        for (std::string_view allowed = may_scroll_down ? may_scroll_down : ""; !allowed.empty();) {
            const std::size_t bar = allowed.find('|');
            if (std::string_view(w->Name).find(allowed.substr(0, bar)) != std::string_view::npos && down) {
                down = false;
                if (scrolled) *scrolled = true;
            }
            allowed = bar == std::string_view::npos ? std::string_view{} : allowed.substr(bar + 1);
        }
        if (!down && !across) continue;
        out << "  '" << readable(w->Name) << "' (" << static_cast<int>(w->Size.x) << "x" << static_cast<int>(w->Size.y) << ") hides";
        if (down) out << " " << static_cast<int>(std::ceil(w->ScrollMax.y)) << " px below";
        if (across) out << " " << static_cast<int>(std::ceil(w->ScrollMax.x)) << " px to the right";
        out << "\n";
    }
    return out.str();
}

struct Sized : Headless {
    explicit Sized(Size s) : Headless(kShellBodyPx) {
        frames.set_display(s.w, s.h);
        frames.follow_zoom();
    }
    void settle() {
        for (int i = 0; i < kSettleFrames; ++i) frame();
    }
    // An exploration's result: waited for a second, then stopped where it is
    // (what is found so far takes the lines the whole result would). The
    // comparison slide's real runs are waited for (a few seconds at most).
    void wait_for_explorer() {
        for (int i = 0; i < 200 && app.busy(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            frame();
        }
        if (app.busy() && app.scene_open() && !app.in_talk()) REQUIRE(app.command("cancel"));
        if (app.busy() && app.on_live_slide()) REQUIRE(app.command("cancel"));
        for (int i = 0; i < 2000 && app.busy(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            frame();
        }
    }
};

// Every listed exception was needed in this run: one that fits now comes off its list.
template <std::size_t N>
void check_still_needed(const std::array<const char*, N>& listed, const std::set<std::string>& scrolled) {
    for (const char* id : listed) {
        CAPTURE(std::string(id));
        CHECK(scrolled.count(id) == 1);
    }
}

std::string size_name(Size s) { return std::to_string(static_cast<int>(s.w)) + "x" + std::to_string(static_cast<int>(s.h)); }

}  // namespace

TEST_CASE("every slide of the talk fits at 1920x1080 and 1280x720, each beat, with nothing hidden") {
    int pairs = 0;
    std::set<std::string> scrolled;  // the tall listings that did scroll
    for (const Size size : kSizes) {
        Sized h(size);
        for (std::size_t i = 1; i <= scenes::deck().size(); ++i) {
            CAPTURE(i);
            REQUIRE(h.app.command("slide " + std::to_string(i)));
            for (std::size_t beat = 0; beat < h.app.beat_count(); ++beat) {
                if (beat) REQUIRE(h.app.command("next"));
                h.settle();
                h.wait_for_explorer();
                h.settle();
                const std::string& link = scenes::deck()[i - 1].link;
                const auto listed = [&](const auto& ids) { return std::any_of(ids.begin(), ids.end(), [&](const char* id) { return link.starts_with(id); }); };
                const bool tall = listed(kTallListings) || listed(kMayBeTall);
                bool did = false;
                const std::string hidden = overflows(tall ? kListingPane : nullptr, &did);
                if (did) scrolled.insert(link.substr(0, link.find('?')));
                CHECK_MESSAGE(hidden.empty(), "slide " << i << " (" << link << ") beat " << beat + 1 << " at " << size_name(size) << ":\n" << hidden);
            }
            ++pairs;
        }
    }
    CHECK(pairs == static_cast<int>(2 * scenes::deck().size()));
    check_still_needed(kTallListings, scrolled);
}

TEST_CASE("every scene's panes fit at 1920x1080 and 1280x720, at its start, its end and with its exploration shown") {
    int pairs = 0;
    std::set<std::string> scrolled;  // the crowded scenes that did scroll
    for (const Size size : kSizes) {
        Sized h(size);
        for (const scenes::Scene& scene : scenes::catalogue()) {
            const bool crowded = size.h < 1080 && std::find(kCrowdedAt720.begin(), kCrowdedAt720.end(), scene.id) != kCrowdedAt720.end();
            const auto overflows = [&] {
                bool did = false;
                std::string hidden = ::overflows(crowded ? kRightColumn : nullptr, &did);
                if (did) scrolled.insert(scene.id);
                return hidden;
            };
            h.app.open_scene(scene, {});
            h.settle();
            std::string hidden = overflows();
            CHECK_MESSAGE(hidden.empty(), scene.id << " at step 0 at " << size_name(size) << ":\n" << hidden);
            for (int steps = 0; steps < 500 && h.app.command("step") && h.has("\"verdict\":\"running\""); ++steps) {
            }
            h.settle();
            hidden = overflows();
            CHECK_MESSAGE(hidden.empty(), scene.id << " at its end at " << size_name(size) << ":\n" << hidden);
            REQUIRE(h.app.command("explore"));
            h.wait_for_explorer();
            h.settle();
            hidden = overflows();
            CHECK_MESSAGE(hidden.empty(), scene.id << " explored at " << size_name(size) << ":\n" << hidden);
            ++pairs;
        }
    }
    CHECK(pairs == static_cast<int>(2 * scenes::catalogue().size()));
    check_still_needed(kCrowdedAt720, scrolled);
}

// Every active pane's text scale, by the pane's name.
std::map<std::string, float> pane_scales() {
    std::map<std::string, float> out;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (w->Active && w->ParentWindow) out[readable(w->Name)] = w->FontWindowScale;
    }
    return out;
}

// The panes whose text scale differs between two looks, with both scales ("" when none).
std::string changed_scales(const std::map<std::string, float>& before, const std::map<std::string, float>& after) {
    std::string out;
    for (const auto& [name, scale] : after) {
        const auto it = before.find(name);
        if (it != before.end() && it->second != scale) out += name + ": " + std::to_string(it->second) + " -> " + std::to_string(scale) + "\n";
    }
    return out;
}

TEST_CASE("a program's error coming and going, or a refused command's message, leaves every pane's text as it was") {
    // A review typed a letter and deleted it ten times: each error the letter made (a wrapped line under the
    // code, for a frame before the editor gave its room back) shrank the program's pane for good, to 7 px text.
    // A refused command's red message under the controls shrank them the same way.
    for (const Size size : kSizes) {
        CAPTURE(size_name(size));
        Sized h(size);
        REQUIRE(h.app.open_link("#play?example=" + scenes::examples().front().id));
        h.settle();
        const std::map<std::string, float> before = pane_scales();
        const std::string state = h.app.state_json();
        const auto at = state.find("\"editor\":[");
        REQUIRE(at != std::string::npos);
        float x = 0, y = 0, w = 0, hgt = 0;
        REQUIRE(std::sscanf(state.c_str() + at + 10, "%f,%f,%f,%f", &x, &y, &w, &hgt) == 4);
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(x + w * 0.5f, y + hgt - 8);  // below the text: the caret goes to its end
        io.MouseDown[0] = true;
        h.frame();
        io.MouseDown[0] = false;
        h.frame();
        io.KeyMap[ImGuiKey_Backspace] = 8;
        for (int round = 0; round < 10; ++round) {
            io.AddInputCharactersUTF8("a");  // a name alone at the end: a syntax error
            for (int f = 0; f < 3; ++f) h.frame();
            if (round == 0) REQUIRE(h.has("syntax error"));
            io.KeysDown[8] = true;
            h.frame();
            io.KeysDown[8] = false;
            for (int f = 0; f < 3; ++f) h.frame();
        }
        CHECK_FALSE(h.has("syntax error"));
        h.settle();
        CHECK(changed_scales(before, pane_scales()) == "");
        // A refused command: its message goes with the next command.
        REQUIRE(h.app.open_link("#stm/bank?sync=1"));
        h.settle();
        REQUIRE(h.app.command("step"));
        h.settle();
        const std::map<std::string, float> running = pane_scales();
        CHECK_FALSE(h.app.command("policy whichever-the-scheduler-likes-best"));
        REQUIRE_FALSE(h.app.last_error().empty());
        h.settle();
        REQUIRE(h.app.command("back"));
        CHECK(h.app.last_error().empty());
        h.settle();
        CHECK(changed_scales(running, pane_scales()) == "");
    }
}

TEST_CASE("after a restart, panes that shrank for what the run grew give their text back") {
    // A review stepped the philosophers to their deadlock (the mutexes' queues shrank the objects pane),
    // pressed R, and read step 0 at half the size; a slide's beat back (Page Up) did the same.
    Sized h(kSizes[1]);
    REQUIRE(h.app.open_link("#threads/philosophers?seed=1&n=5&meals=2&strategy=0"));
    // A restart first: an earlier test may have left this page's panes fitted to a deadlock already.
    REQUIRE(h.app.command("restart"));
    h.settle();
    const std::map<std::string, float> fresh = pane_scales();
    for (int i = 0; i < 60 && h.app.command("step"); ++i) h.frame();
    REQUIRE(h.has("deadlock"));
    h.settle();
    const std::string shrunk = changed_scales(fresh, pane_scales());
    CHECK(shrunk != "");  // the queues shrank something, or this test shows nothing
    REQUIRE(h.app.command("restart"));
    h.settle();
    // At least as large as at step 0 before, and nothing hidden for it.
    for (const auto& pane : pane_scales()) {
        CAPTURE(pane.first);  // (clang captures no structured binding)
        const auto it = fresh.find(pane.first);
        // (Within the 3% a fitted pane keeps under what it measured: fit_pane.cpp.)
        if (it != fresh.end()) CHECK(pane.second >= it->second * 0.97f);
    }
    CHECK(overflows() == "");
}

TEST_CASE("a pane with room to spare keeps its text at full size") {
    // The race scene's panes hold a few lines each: at 1920x1080 nothing needs shrinking.
    Sized h(kSizes[0]);
    REQUIRE(h.app.open_link("#atomicity/race?seed=1"));
    h.settle();
    for (int f = 0; f < 60; ++f) h.frame();  // a second more: a fitted pane would have kept shrinking
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (!w->Active) continue;
        CAPTURE(readable(w->Name));
        CHECK(w->FontWindowScale == 1.0f);
    }
}

TEST_CASE("the playground keeps its text at full size when you become the scheduler, at 1920x1080 and 1280x720") {
    // The manual policy gives each task card a "run me" button. The editor took the room below it minus a
    // fixed guess at the cards, so the buttons overflowed the pane, which shrank its text; the editor then
    // grew into the room the smaller text gave back, and the pane shrank again, frame after frame, to 40%.
    for (const Size size : kSizes) {
        CAPTURE(size_name(size));
        Sized h(size);
        REQUIRE(h.app.open_link("#play?example=" + scenes::examples().front().id));
        h.settle();
        REQUIRE(h.app.command("policy manual"));
        for (int f = 0; f < 60; ++f) h.frame();  // a second: the shrinking went on for half of one
        CHECK(h.has("run me"));
        int panes = 0;
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
            if (!w->Active || !readable(w->Name).ends_with("/left")) continue;
            CAPTURE(readable(w->Name));
            CHECK(w->FontWindowScale == 1.0f);
            ++panes;
        }
        CHECK(panes == 1);
        // Nothing hidden below; sideways only the program's own longest line, inside the editor.
        const std::string hidden = overflows();
        std::string line;
        for (std::istringstream lines(hidden); std::getline(lines, line);) {
            CHECK_MESSAGE(line.find("below") == std::string::npos, line);
            CHECK_MESSAGE(line.find("/left/editor") != std::string::npos, line);
        }
    }
}

TEST_CASE("on a phone (390x844, and held sideways) every scene's panes stack into one column that scrolls, none cut at the side, its text legible") {
    // Issue 19: below ~900 px wide the panes stack (ui/app_draw.cpp kNarrowPx). The page itself scrolls down;
    // each pane is the page's width, and the state it shows is not cut on the right.
    // A phone's text was scaled by width against 1920 px to half size (11 px), and panes shrank it to 10:
    // the listings, for their longest line; held sideways (390 px tall), to 8 px to fit the height. Lighthouse's
    // legible-font-size audit flags text under 12 CSS px, and its tap-target audit (as Android's Material
    // guidelines) asks targets of 48 px.
    int stacked = 0, seen = 0;
    for (const Size size : {Size{390, 844}, Size{844, 390}}) {
      Sized h(size);
      for (const scenes::Scene& scene : scenes::catalogue()) {
        CAPTURE(size_name(size));
        CAPTURE(scene.id);
        h.app.open_scene(scene, {});
        for (int steps = 0; steps < 12 && h.app.command("step"); ++steps) {
        }
        h.settle();
        ImGuiWindow* page = nullptr;
        std::vector<ImGuiWindow*> panes;
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
            if (!w->Active) continue;  // a pane scrolled out of the page is hidden, and still laid out
            const std::string name = readable(w->Name);
            if (name.ends_with("/page")) page = w;
            for (const char* pane : {"/page/left", "/page/objects", "/page/trace", "/page/timeline", "/page/transport"}) {
                if (name.ends_with(pane)) panes.push_back(w);
            }
        }
        REQUIRE(page != nullptr);
        CHECK(panes.size() == 5);
        for (ImGuiWindow* w : panes) {
            CAPTURE(readable(w->Name));
            // Full width: the page's inner width (its scrollbar aside), give or take a pixel.
            CHECK(w->Size.x >= page->InnerRect.GetWidth() - 2.0f);
        }
        // Nothing cut on the right and nothing scrolls sideways (a listing's long line wraps, its chips go
        // under it); the page scrolls down by design, and so may a pane still taller than a screen at its
        // smallest text (its own scrollbar says so). A pane below the screen draws no items: its sizes are
        // those of the last frame it was seen, and are not judged.
        const std::string hidden = overflows("/page");
        std::string across;
        for (std::istringstream lines(hidden); std::getline(lines, across);) {
            CHECK_MESSAGE(across.find("to the right") == std::string::npos, scene.id << ": " << across);
        }
        for (ImGuiWindow* w : panes) {
            if (!w->SkipItems && w->ScrollMax.x >= 1.0f) CHECK_MESSAGE(w->ScrollbarX, readable(w->Name) << " is wider than it shows and has no scrollbar");
        }
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
            const std::string name = readable(w->Name);
            if (!w->Active || w->SkipItems || name.find("/page/") == std::string::npos) continue;  // below the screen: not drawn
            CAPTURE(name);
            CHECK(w->CalcFontSize() >= 12.0f);  // Lighthouse's legible-font-size audit: 12 CSS px
            ++seen;
        }
        ImGuiWindow* bar = nullptr;
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
            if (w->Active && readable(w->Name).ends_with("/buttons")) bar = w;
        }
        REQUIRE(bar != nullptr);
        CHECK(bar->ContentSize.y >= 48.0f);  // one row of buttons: its height is theirs
        ++stacked;
      }
    }
    CHECK(stacked == 2 * static_cast<int>(scenes::catalogue().size()));
    CHECK(seen >= stacked);  // the page's top pane at least
}

TEST_CASE("on a phone (390x844) Play, Back, Step and Restart stay at the foot of the screen while steps grow the page") {
    // A review in Chromium: below panes that grow a line a step, three taps at Step took one step.
    Sized h({390, 844});
    const auto bar = [] {
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
            if (w->Active && readable(w->Name).ends_with("/buttons")) return w->Rect();
        }
        return ImRect();
    };
    for (const char* id : {"atomicity/race", "threads/philosophers"}) {
        CAPTURE(id);
        h.app.open_scene(*scenes::find_scene(id), {});
        h.settle();
        const ImRect at_start = bar();
        REQUIRE(at_start.GetHeight() > 0.0f);
        CHECK(at_start.Max.y >= 844.0f - ImGui::GetStyle().WindowPadding.y - 2.0f);  // at the foot
        for (int steps = 0; steps < 8 && h.app.command("step"); ++steps) {
            h.frame();
            CHECK(bar().Min.y == at_start.Min.y);
        }
    }
}

TEST_CASE("on a phone (390x844) the playground's editor takes half the screen and its notes wrap") {
    // Stacked, the editor's pane is as tall as its content: the editor was sized by the room left below it
    // (its minimum, 8 lines) and the notes beside and under it ran off the right edge.
    Sized h({390, 844});
    REQUIRE(h.app.open_link("#play?example=" + scenes::examples().front().id));
    h.settle();
    ImGuiWindow* editor = nullptr;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (w->Active && readable(w->Name).ends_with("/page/left/editor")) editor = w;
    }
    REQUIRE(editor != nullptr);
    CHECK(editor->Size.y >= 844.0f * 0.5f - 1.0f);  // App::draw_playground: half the screen's height
    // Nothing cut on the right but the program's own long lines, which scroll inside the editor.
    const std::string hidden = overflows("/page");
    std::string line;
    for (std::istringstream lines(hidden); std::getline(lines, line);) {
        if (line.find("to the right") != std::string::npos) CHECK_MESSAGE(line.find("/page/left/editor") != std::string::npos, line);
    }
}

TEST_CASE("on a phone (390x844) a finger's drag on a pane's empty space scrolls the stacked column") {
    // ImGui scrolls by wheel and scrollbar only: a swipe did nothing, and the controls below the fold were
    // reachable only by the scrollbar's few pixels at the edge (found by a review in Chromium).
    // The philosophers after 40 steps: five tasks and a long trace, a column well taller than the phone.
    Sized h({390, 844});
    REQUIRE(h.app.open_link("#threads/philosophers?seed=1"));
    for (int i = 0; i < 40; ++i) h.app.command("step");
    h.settle();
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* column = nullptr;
    for (ImGuiWindow* w : g.Windows) {
        if (w->Active && w->ScrollMax.y >= 100.0f && (column == nullptr || w->Size.y > column->Size.y)) column = w;
    }
    REQUIRE(column != nullptr);
    CAPTURE(readable(column->Name));
    ImGuiIO& io = ImGui::GetIO();
    // A point of the column where a press takes no widget: the pane's own move handle becomes active.
    bool found = false;
    for (float y = 150.0f; y < 800.0f && !found; y += 23.0f) {
        io.MousePos = ImVec2(380.0f - ImGui::GetStyle().ScrollbarSize, y);
        h.frame();
        io.MouseDown[0] = true;
        h.frame();
        found = g.ActiveIdWindow != nullptr && g.ActiveId == g.ActiveIdWindow->MoveId;
        if (found) break;
        io.MouseDown[0] = false;
        h.frame();
    }
    REQUIRE(found);
    const float before = column->Scroll.y;
    for (int i = 0; i < 10; ++i) {  // 200 px up, as a finger moves
        io.MousePos.y -= 20.0f;
        h.frame();
    }
    io.MouseDown[0] = false;
    h.frame();
    CAPTURE(column->ScrollMax.y);
    CAPTURE(before);
    // The drag moved 200 px; a scroll set in one frame lands in the next, so the last 20 px (and the
    // first, the press) may not have yet: at least 150 of the 200.
    CHECK(column->Scroll.y >= before + 150.0f);
}

TEST_CASE("on a phone (390x844) the hint line names the buttons a finger has, not the keys") {
    // "\xE2\x86\x92 steps, Space plays" on a phone named keys it has none of (a review in Chromium); the
    // words are those of the bar at the foot (Play, Back, Step, Restart) and the cards' "run me".
    Sized h({390, 844});
    REQUIRE(h.app.open_link("#atomicity/race?seed=1"));
    h.settle();
    CHECK(h.has("\"hint_line\":\"Step below takes one step, Play plays\""));
    for (int i = 0; i < 100 && h.app.command("step"); ++i) {
    }
    h.settle();
    CHECK(h.has("\"hint_line\":\"the run is over; Back or Restart below\""));
    REQUIRE(h.app.command("policy manual"));
    REQUIRE(h.app.command("restart"));
    h.settle();
    // The steps played before are remembered: Step repeats them, or a tap picks another task.
    CHECK(h.has("\"hint_line\":\"Step repeats your choice (T"));
    CHECK(h.has("), or tap run me on a task\""));
}

TEST_CASE("a listing's line wider than a phone wraps where words break, four columns past its indent, and its comment goes on as a comment") {
    // The review's cases: a wrapped part indented as a nested line read as a statement of its own, and a
    // comment's second part lost its "//" (proc/pipe, loop/echo, actors/selective).
    Sized h({390, 844});
    h.frame();  // the fonts
    ImGui::NewFrame();  // a frame of the test's own, in the body font
    ImGui::Begin("wrap");
    const std::string line = "  beat = setInterval(heartbeat, 10)  // cleared after three beats";
    const float width = ImGui::CalcTextSize("  beat = setInterval(heartbeat").x;  // 30 of its 66 characters: no word is wider
    const std::vector<std::string> pieces = ui::wrap_code(line, width);
    REQUIRE(pieces.size() >= 3);
    CHECK(pieces[0] == "  beat =");
    std::string words;  // the pieces without their prefixes: the line's words, in order
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        CAPTURE(pieces[i]);
        CHECK(ImGui::CalcTextSize(pieces[i].c_str()).x <= width);
        if (i > 0) CHECK(pieces[i].rfind("      ", 0) == 0);  // the line's 2 columns and 4 more
        std::string text = pieces[i].substr(pieces[i].find_first_not_of(' '));
        // After the comment's start, every piece but the one it starts in begins with its marker.
        if (words.find("//") != std::string::npos) {
            CHECK(text.rfind("// ", 0) == 0);
            text = text.substr(3);
        }
        words += (words.empty() ? "" : " ") + text;
    }
    // The same words as the line, with its runs of spaces as one (where it broke, a space is dropped).
    std::string expected;
    for (std::size_t i = line.find_first_not_of(' '); i < line.size(); ++i) {
        if (line[i] != ' ' || expected.back() != ' ') expected += line[i];
    }
    CHECK(words == expected);
    // A line that fits is one piece, as it is.
    CHECK(ui::wrap_code("  x = 1", width) == std::vector<std::string>{"  x = 1"});
    // A break just after the comment's marker (its room ends there) takes the marker to the next piece.
    const std::string code = "  ship x  // skips log lines";
    const std::vector<std::string> marked = ui::wrap_code(code, ImGui::CalcTextSize("  ship x  // ").x);
    REQUIRE(marked.size() >= 2);
    CHECK(marked[0] == "  ship x");
    for (std::size_t i = 1; i < marked.size(); ++i) CHECK(marked[i].rfind("      // ", 0) == 0);
    ImGui::End();
    ImGui::EndFrame();
}

TEST_CASE("on a phone (390x844) a tap on the lanes goes back to its tick, and a drag that starts there does not") {
    // A finger scrolling the page past the lanes went back in time at its touch (found by a review in
    // Chromium: step 8 became 5). Scrubbing waits for a release with no move between (ImGui's drag threshold).
    Sized h({390, 844});
    REQUIRE(h.app.open_link("#threads/buffer?seed=1"));
    for (int i = 0; i < 30; ++i) h.app.command("step");
    h.settle();
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* page = nullptr;
    ImGuiWindow* lanes = nullptr;
    for (ImGuiWindow* w : g.Windows) {
        if (!w->Active) continue;
        if (readable(w->Name).ends_with("/page")) page = w;
        if (readable(w->Name).ends_with("/page/timeline")) lanes = w;
    }
    REQUIRE(page != nullptr);
    REQUIRE(lanes != nullptr);
    const auto step = [&] {
        const std::string state = h.app.state_json();
        return std::stoi(state.substr(state.find("\"step\":") + 7));
    };
    REQUIRE(step() == 30);  // the 30 steps taken above
    ImGuiIO& io = ImGui::GetIO();
    const auto press = [&](ImVec2 at, float drag) {
        io.MousePos = at;
        h.frame();
        io.MouseDown[0] = true;
        h.frame();
        for (int i = 0; i < 5 && drag != 0.0f; ++i) {
            io.MousePos.y -= drag / 5.0f;
            h.frame();
        }
        io.MouseDown[0] = false;
        h.frame();
        h.frame();
    };
    // A point of the last lane, the pane's last item, wherever a step put the panes above: its bottom row
    // ends at the pane's content's end (6 px up is inside it), 60% across (the lanes end at "now", on the right).
    const auto on_lanes = [&] {
        ImGui::SetScrollY(page, lanes->Pos.y - page->Pos.y + page->Scroll.y - 100.0f);  // the lanes on screen
        h.settle();
        return ImVec2(lanes->Pos.x + lanes->Size.x * 0.6f, lanes->Pos.y + lanes->WindowPadding.y + lanes->ContentSize.y - 6.0f);
    };
    press(on_lanes(), 0.0f);
    const int tapped = step();
    CHECK(tapped < 30);  // back to the tapped tick
    CHECK(tapped > 0);
    REQUIRE(h.app.command("seek 30"));  // back where the test stood
    REQUIRE(step() == 30);
    press(on_lanes(), 120.0f);  // the same point of the lanes, now a drag's start
    CHECK(step() == 30);  // where it stood: the drag scrolled and did not scrub
}

TEST_CASE("on a phone (390x844) the trace pane is as tall as its log, up to most of a screen") {
    // It took 70% of the screen from the start, most of it empty (found by a review in Chromium).
    Sized h({390, 844});
    ImGuiContext& g = *ImGui::GetCurrentContext();
    const auto check_trace = [&](const char* when) {
        CAPTURE(when);
        h.settle();
        ImGuiWindow* page = nullptr;
        ImGuiWindow* pane = nullptr;
        ImGuiWindow* list = nullptr;
        const auto find = [&] {
            for (ImGuiWindow* w : g.Windows) {
                if (!w->Active) continue;
                const std::string name = readable(w->Name);
                if (name.ends_with("/page")) page = w;
                if (name.ends_with("/page/trace")) pane = w;
                if (name.find("/page/trace/") != std::string::npos && name.ends_with("/trace_list")) list = w;
            }
        };
        find();
        REQUIRE(page != nullptr);
        REQUIRE(pane != nullptr);
        // Below the screen its log is not drawn: scrolled to, as a finger would.
        if (pane->SkipItems) {
            ImGui::SetScrollY(page, pane->Pos.y - page->Pos.y + page->Scroll.y);
            h.settle();
            list = nullptr;
            find();
        }
        REQUIRE(list != nullptr);
        const ImGuiStyle& st = ImGui::GetStyle();
        // What the log needs: the tabs above it, its lines, a scrollbar's height for long lines, the padding.
        const float needs = (list->Pos.y - pane->Pos.y) + list->ContentSize.y + st.ScrollbarSize + st.WindowPadding.y * 2;
        CAPTURE(pane->Size.y);
        CAPTURE(needs);
        CHECK(pane->Size.y <= std::max(needs, ImGui::GetFontSize() * 4.0f) + ImGui::GetFontSize());  // app_draw.cpp: 4 lines at least
        CHECK(pane->Size.y <= 844.0f * 0.7f + 1.0f);  // app_draw.cpp: 70% of the room under the header, less than the phone's height
        // And it shows its log's end: the whole log, or the newest lines of a long one.
        CHECK(list->Scroll.y >= list->ScrollMax.y - 1.0f);
        return pane->Size.y;
    };
    REQUIRE(h.app.open_link("#atomicity/race?seed=1"));
    const float at_start = check_trace("the race at step 0");
    for (int i = 0; i < 20 && h.app.command("step"); ++i) {
    }
    const float at_end = check_trace("the race at its end");
    CHECK(at_end > at_start);  // the pane grew with the log
    REQUIRE(h.app.open_link("#stm/contention?seed=1"));
    for (int i = 0; i < 300 && h.app.command("step"); ++i) {
    }
    // A long log: most of a screen, scrolled to its end.
    CHECK(check_trace("stm/contention after 300 steps") >= 844.0f * 0.5f);  // 70% of the room under a header of under 100 px (app_draw.cpp)
}

TEST_CASE("on a phone (390x844) a stacked pane whose content grows keeps its text at full size") {
    // A stacked pane takes the height its content took last frame: content that grew overflowed it for a
    // frame, and the pane shrank its text for good (a review saw the race's first step reflow the column).
    Sized h({390, 844});
    REQUIRE(h.app.open_link("#atomicity/race?seed=1"));
    h.settle();
    for (int i = 0; i < 6 && h.app.command("step"); ++i) h.frame();  // each step drawn: its growth lands one frame late
    h.settle();
    int panes = 0;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (!w->Active || readable(w->Name).find("/page/") == std::string::npos) continue;
        CAPTURE(readable(w->Name));
        CHECK(w->FontWindowScale == 1.0f);
        ++panes;
    }
    CHECK(panes >= 5);
}

TEST_CASE("the timeline's legend wraps to its pane: nothing past the side on a phone, one line on a wide window") {
    // At 390 px the legend's last words ("empty: done") were past the pane's edge: it scrolled sideways.
    for (const Size size : {Size{390, 844}, kSizes[1]}) {
        CAPTURE(size.w);
        Sized h(size);
        REQUIRE(h.app.open_link("#atomicity/race?seed=1"));  // at step 0 the lanes are a tick wide: the legend is the widest line
        h.settle();
        ImGuiWindow* timeline = nullptr;
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
            if (w->Active && readable(w->Name).ends_with("/timeline")) timeline = w;
        }
        REQUIRE(timeline != nullptr);
        CAPTURE(timeline->ContentSize.x);
        CAPTURE(timeline->InnerRect.GetWidth());
        CHECK(timeline->ScrollMax.x == 0.0f);  // nothing to scroll to at the side
        CHECK(timeline->ScrollMax.y == 0.0f);  // and the pane is as tall as its wrapped legend and lanes
        CHECK(timeline->FontWindowScale == 1.0f);
        const int lines = ui::timeline_legend_lines(timeline->InnerRect.GetWidth() - ImGui::GetStyle().WindowPadding.x * 2);
        CHECK((size.w < 900 ? lines > 1 : lines == 1));
    }
}

TEST_CASE("on a wide window the scene's panes stay side by side") {
    Sized h(kSizes[1]);
    REQUIRE(h.app.open_link("#atomicity/race?seed=1"));
    h.settle();
    bool page = false;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) page = page || (w->Active && readable(w->Name).ends_with("/page"));
    CHECK_FALSE(page);
}


TEST_CASE("a live slide's many mailboxes go into columns where its objects pane is wide") {
    // Green threads: seven actors' mailboxes, one per row, put the objects at 0.68 of full size at
    // 1920x1080, mid-run, beside a pane of empty width (a review of the talk). In two columns, 0.86.
    std::size_t green = 0;
    for (std::size_t i = 0; i < scenes::deck().size() && !green; ++i) green = scenes::deck()[i].link.starts_with("coroutines/green") ? i + 1 : 0;
    REQUIRE(green > 0);
    Sized h(kSizes[0]);
    REQUIRE(h.app.command("slide " + std::to_string(green)));
    h.settle();
    h.settle();
    float objects = 0.0f;
    for (const auto& [name, scale] : pane_scales()) {
        if (name.ends_with("/slide_right")) objects = scale;
    }
    CHECK(objects >= 0.8f);
    CHECK(overflows() == "");
}

TEST_CASE("a live slide's code does not shrink to the floor while the objects beside it have room for the scene's words") {
    // The bounded buffer's two listings (14 lines) with the scene's words above them put the code at the
    // stage's floor (0.70 of the body text) at both sizes, beside objects that filled half their pane.
    // With the words over the objects the code gets their room.
    std::size_t buffer = 0;
    for (std::size_t i = 0; i < scenes::deck().size() && !buffer; ++i) buffer = scenes::deck()[i].link.starts_with("threads/buffer") ? i + 1 : 0;
    REQUIRE(buffer > 0);
    for (const Size size : kSizes) {
        CAPTURE(size_name(size));
        Sized h(size);
        REQUIRE(h.app.command("slide " + std::to_string(buffer)));
        h.settle();
        h.settle();  // the words move once the code shrank, then each pane settles again
        const std::map<std::string, float> scales = pane_scales();
        float code = 0.0f, objects = 0.0f;
        for (const auto& [name, scale] : scales) {
            if (name.ends_with("/slide_left")) code = scale;
            if (name.ends_with("/slide_right")) objects = scale;
        }
        CHECK(code >= 0.8f);
        CHECK(objects >= 0.9f);
        CHECK(overflows() == "");
    }
}

TEST_CASE("panes stop fitting their text within a few hundred frames of a scene opening at its end, at 1920x1080 and 1280x720") {
    // The page draws no frame while nothing moves, and a pane's fitting takes a frame a step: a link to the
    // supervisor's end, opened at 1280x720 and left alone, stopped with its actors cut off (a browser pass).
    // The shell keeps drawing while fits_settling(); it must also end, or an idle page would draw forever.
    for (const Size size : kSizes) {
        Sized h(size);
        for (const scenes::Scene& scene : scenes::catalogue()) {
            CAPTURE(scene.id);
            CAPTURE(size_name(size));
            // A step past any scene's end: a link's step is clamped to the run's last (its end state).
            REQUIRE(h.app.open_link("#" + scene.id + "?seed=1&step=100000"));
            int frames = 0;
            h.frame();
            while (ui::fits_settling() && frames < 400) {
                h.frame();
                ++frames;
            }
            CHECK(frames < 400);  // a bound, not a count: a shrink takes two frames and a pane has few steps to its floor
            CHECK_FALSE(h.app.moving());
        }
    }
}
