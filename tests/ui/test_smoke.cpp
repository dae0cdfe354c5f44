// Renders every scene's frames with ImGui and no window (no GPU needed), and
// drives the app through the same commands the keyboard and JS API use.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "imgui.h"
#include "imgui_internal.h"
#include "tests/ui/headless.hpp"
#include "ui/view_parts.hpp"
#include "ui/views.hpp"
#include "ui/workers.hpp"

using namespace such;

TEST_CASE("every scene renders frames while it runs to its end") {
    Headless h;
    for (const scenes::Scene& scene : scenes::catalogue()) {
        CAPTURE(scene.id);
        h.app.open_scene(scene, {});
        int steps = 0;
        while (steps < 500) {
            CHECK(h.frame() > 500);
            if (!h.app.command("step")) break;
            if (h.app.state_json().find("\"verdict\":\"running\"") == std::string::npos) break;
            ++steps;
        }
        CHECK(h.frame() > 500);
        CHECK(h.app.state_json().find("\"verdict\":\"running\"") == std::string::npos);
    }
}

TEST_CASE("the menu lists the scenes and a bad link leaves a visible note") {
    Headless h;
    CHECK_FALSE(h.app.open_link("#no-such-scene?seed=1"));
    const std::string state = h.app.state_json();
    CHECK(state.find("\"view\":\"menu\"") != std::string::npos);
    CHECK(state.find("no scene called 'no-such-scene'") != std::string::npos);
    CHECK(h.frame() > 100);
}

TEST_CASE("step, back and restart move through the run and back again") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=7"));
    h.frame();
    for (int i = 0; i < 4; ++i) h.app.command("step");
    const std::string after_four = h.app.state_json();
    CHECK(after_four.find("\"step\":4") != std::string::npos);
    h.app.command("step");
    h.app.command("back");
    CHECK(h.app.state_json() == after_four);  // stepping back then forward reproduces the same state
    h.app.command("restart");
    CHECK(h.app.state_json().find("\"step\":0") != std::string::npos);
    // A step back while playing pauses: playing on would take the step again at once (a review's "," on a slide).
    REQUIRE(h.app.command("seek 3"));
    REQUIRE(h.app.command("play"));
    REQUIRE(h.app.command("back"));
    CHECK(h.has("\"playing\":false"));
    CHECK(h.has("\"step\":2,"));
}

TEST_CASE("bad commands are refused with a reason and change nothing") {
    Headless h;
    REQUIRE(h.app.open_link("race?seed=3"));
    const std::string before = h.app.state_json();
    CHECK_FALSE(h.app.command("seed banana"));
    CHECK(h.app.last_error() == "seed must be a non-negative whole number");
    CHECK_FALSE(h.app.command("launch"));
    CHECK(h.app.state_json() == before);
}

TEST_CASE("a real run that the scene refuses is refused with its reason, and nothing starts") {
    Headless h;
    REQUIRE(h.app.open_link("coroutines/green?model=1&count=3"));
    CHECK_FALSE(h.app.command("real"));
    CHECK(h.app.last_error().find("100,000 native threads would need") == 0);
    h.app.set_thread_limit(6);
    REQUIRE(h.app.command("set count 1"));
    CHECK_FALSE(h.app.command("real"));
    CHECK(h.app.last_error() == "1001 native threads: this build can start 6 (the browser's pool of Web Workers). Green threads need only 2.");
    REQUIRE(h.app.open_link("stm/bank?sync=1"));
    CHECK_FALSE(h.app.command("real"));
    CHECK_FALSE(h.app.last_error().empty());
    // The button is greyed out with the same reason before anyone presses it; a scene that runs has none.
    CHECK(h.has("\"real_refusal\":" + ui::json_string(h.app.last_error())));
    REQUIRE(h.app.open_link("stm/bank?sync=0"));
    CHECK(h.has("\"real_refusal\":\"\""));
}

TEST_CASE("theme and zoom switch and ask the shell to rebuild fonts") {
    Headless h;
    CHECK(h.app.command("theme"));
    CHECK(h.app.theme() == ui::Theme::Light);
    CHECK(h.app.take_fonts_dirty());
    CHECK(h.app.command("zoom+"));
    CHECK(h.app.zoom() > 1.0f);
    CHECK(h.frame() > 100);
}

TEST_CASE("the explorer panel finds the lost update off the UI thread and replays it") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=1"));
    REQUIRE(h.app.command("explore"));
    for (int i = 0; i < 2000 && h.app.state_json().find("\"running\":true") != std::string::npos; ++i) h.frame();
    const std::string state = h.app.state_json();
    CHECK(state.find("\"outcomes\":[\"foo = 2\",\"foo = 1\"]") != std::string::npos);
    CHECK(state.find("\"complete\":true") != std::string::npos);
    REQUIRE(h.app.command("replay 0"));
    for (int i = 0; i < 10; ++i) {
        h.app.command("step");
        h.frame();
    }
    const std::string replayed = h.app.state_json();
    CHECK(replayed.find("\"outcome\":\"foo = 1: lost update!") != std::string::npos);
    CHECK(replayed.find("\"policy\":\"manual\"") != std::string::npos);
    CHECK_FALSE(h.app.command("replay 9"));
}

TEST_CASE("the explorer panel shows its search's progress while the search runs on its thread") {
    // The panel copies the result only when the lock is free, never waiting for it: the search thread held the
    // lock through each slice of the search, and the panel said 0 executions until the end (a review in Chromium:
    // 7 s of "0 executions" on the philosophers, then 113,874). Natively the copy still came now and then.
    Headless h;
    REQUIRE(h.app.open_link("#threads/philosophers?seed=1"));  // 113,726 executions (README, bench/results.txt)
    REQUIRE(h.app.command("explore"));
    const auto executions = [&h] {
        const std::string state = h.app.state_json();
        const std::size_t at = state.find("\"executions\":");
        return at == std::string::npos ? -1L : std::stol(state.substr(at + 13));
    };
    std::set<long> shown;  // the counts the panel showed while the search ran, a frame every millisecond
    int complete_while_running = 0;  // a search still running is not complete (state() said so, cut by nothing yet)
    for (int i = 0; i < 500 && h.has("\"running\":true"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        h.frame();
        const std::string state = h.app.state_json();
        if (state.find("\"running\":true") == std::string::npos) continue;
        shown.insert(executions());
        complete_while_running += state.find("\"complete\":true") != std::string::npos ? 1 : 0;
    }
    CAPTURE(shown.size());
    CHECK(shown.size() >= 20);  // the fixed panel showed some 490 counts here, the old one 1
    CHECK(complete_while_running == 0);
    REQUIRE(h.app.command("cancel"));
    for (int i = 0; i < 2000 && h.has("\"running\":true"); ++i) h.frame();
}

namespace {
// A platform whose workers load slowly: the first `g_slow` questions say "not yet".
int g_asked = 0, g_slow = 0, g_wanted = 0;
bool slow_workers(int n) {
    g_wanted = n;
    return ++g_asked > g_slow;
}
struct SlowWorkers {
    explicit SlowWorkers(int slow) {
        g_asked = 0;
        g_slow = slow;
        ui::set_workers_ready(slow_workers);
    }
    ~SlowWorkers() { ui::set_workers_ready(nullptr); }
};
}  // namespace

TEST_CASE("threads the UI starts wait until the platform's workers are ready; leaving before then starts nothing") {
    Headless h;
    {
        // The browser loads Web Workers on demand (ui/workers.hpp): the search waits for one, then runs as ever.
        SlowWorkers slow(3);
        REQUIRE(h.app.open_link("#race?seed=1"));
        REQUIRE(h.app.command("explore"));
        CHECK(h.has("\"running\":true"));
        for (int i = 0; i < 2000 && h.has("\"running\":true"); ++i) h.frame();
        CHECK(g_asked > 3);
        CHECK(g_wanted == 1);
        CHECK(h.has("\"outcomes\":[\"foo = 2\",\"foo = 1\"]"));
        CHECK(h.has("\"complete\":true"));
    }
    {
        // A real run asks for the workers a run takes, and says it is starting them meanwhile.
        SlowWorkers slow(3);
        REQUIRE(h.app.open_link("counter?sync=2&threads=2&m=1"));
        REQUIRE(h.app.command("real"));
        CHECK(h.has("\"real\":\"running on real threads (starting Web Workers)...\""));
        CHECK(g_wanted == ui::kRealRunWorkers);
        CHECK_FALSE(h.app.command("real"));
        CHECK(h.app.last_error() == "a real run is already going");
        for (int i = 0; i < 20000 && h.has("\"real\":\"running"); ++i) h.frame();
        CHECK(g_asked > 3);
        CHECK_FALSE(h.has("\"real\":\"running"));
        CHECK(h.has(" events recorded)"));
    }
    {
        // Workers that never come: leaving the scene drops the waiting run and the search; nothing hangs.
        SlowWorkers never(1 << 30);
        REQUIRE(h.app.open_link("counter?sync=2&threads=2&m=1"));
        REQUIRE(h.app.command("real"));
        REQUIRE(h.app.command("explore"));
        CHECK(h.app.busy());
        REQUIRE(h.app.open_link("#race?seed=2"));
        h.frame();
        CHECK_FALSE(h.app.busy());
        CHECK(h.has("\"real\":\"\""));
    }
}

TEST_CASE("a real run started while a scene left earlier is still running on real threads gives its result") {
    Headless h;
    // 4 threads x 1,000,000 locked increments: still going when the next scene's run starts.
    REQUIRE(h.app.open_link("counter?sync=1&threads=4&m=10"));
    REQUIRE(h.app.command("real"));
    REQUIRE(h.app.open_link("counter?sync=0&threads=2&m=1"));  // the first run is set aside, not waited for
    REQUIRE(h.app.command("real"));
    CHECK(h.app.busy());
    for (int i = 0; i < 20000 && h.has("\"real\":\"running"); ++i) h.frame();
    // Before the fix, the frame after the start set the new run aside with the old one: "running" for ever.
    CHECK(h.has(" events recorded)"));
}

TEST_CASE("one click opens the Explorer tab, even from a pointer that jumps there from another hovered item") {
    // ImGui 1.86 gives a tab a press only if the frame before hovered it or nothing: a click in a browser
    // test (or a remote's pointer) jumping from the Trace tab straight onto Explorer needed a second click.
    Headless h;
    REQUIRE(h.app.open_link("#atomicity/race?seed=1"));
    for (int i = 0; i < 5; ++i) h.frame();
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiTabBar* bar = nullptr;
    const ImGuiTabItem* trace = nullptr;
    const ImGuiTabItem* explorer = nullptr;
    for (int i = 0; i < g.TabBars.GetMapSize(); ++i) {
        ImGuiTabBar* b = g.TabBars.TryGetMapData(i);
        if (!b) continue;
        for (const ImGuiTabItem& t : b->Tabs) {
            const std::string name = b->GetTabName(&t);
            if (name == "Trace") trace = &t;
            if (name == "Explorer") {
                explorer = &t;
                bar = b;
            }
        }
    }
    REQUIRE(bar != nullptr);
    REQUIRE(trace != nullptr);
    REQUIRE(explorer != nullptr);
    REQUIRE(bar->SelectedTabId == trace->ID);
    const auto centre = [&](const ImGuiTabItem& t) { return ImVec2(bar->BarRect.Min.x + t.Offset + t.Width * 0.5f, bar->BarRect.GetCenter().y); };
    const ImGuiID explorer_id = explorer->ID;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = centre(*trace);  // the pointer rests on the Trace tab: hovered
    h.frame();
    h.frame();
    io.MousePos = centre(*explorer);  // and jumps onto Explorer, pressing in the same frame
    io.MouseDown[0] = true;
    h.frame();
    io.MouseDown[0] = false;
    for (int i = 0; i < 3; ++i) h.frame();  // the release, then the tab opens (50 ms at 60 frames a second)
    CHECK(bar->SelectedTabId == explorer_id);
    io.MousePos = ImVec2(-1, -1);
    h.frame();
    CHECK(bar->SelectedTabId == explorer_id);  // and it stays open
}

TEST_CASE("choosing the manual policy mid-run takes over where the run stands") {
    // It started the run again from step 0 and dropped the link's step (a review of the talk).
    Headless h;
    REQUIRE(h.app.open_link("#threads/philosophers?seed=1&n=3&meals=2&strategy=1"));  // lower fork first: no deadlock
    REQUIRE(h.app.command("seek 3"));
    const auto field = [&](const char* key) {
        const std::string state = h.app.state_json();
        const auto at = state.find(std::string("\"") + key + "\":");
        REQUIRE(at != std::string::npos);
        return state.substr(at, state.find_first_of(",}", state.find(':', at) + 1) - at);
    };
    REQUIRE(field("step") == "\"step\":3");
    REQUIRE(h.has("\"verdict\":\"running\""));
    const std::string hash = field("trace_hash"), objects = field("objects");
    REQUIRE(h.app.command("policy manual"));
    CHECK(field("step") == "\"step\":3");
    CHECK(field("trace_hash") == hash);
    CHECK(field("objects") == objects);
    CHECK(h.has("\"policy\":\"manual\""));
    CHECK(h.app.link().find("&step=3&choices=") != std::string::npos);
    // And the user schedules on from there: some philosopher can take the next step.
    CHECK((h.app.command("pick 0") || h.app.command("pick 1") || h.app.command("pick 2")));
    CHECK(field("step") == "\"step\":4");
}

TEST_CASE("the deadlock ring keeps its labels apart for 2 to 6 philosophers, and fits a narrow pane") {
    // Each node's footprint: a task's circle (radius r) or an object's box (2.8 r by 1.4 r), centred on the
    // ring. Neighbours must not touch: their footprints' boxes, as axis-aligned rectangles, stay apart.
    const float em = 24.0f;
    for (int philosophers = 2; philosophers <= 6; ++philosophers) {
        CAPTURE(philosophers);
        const int nodes = 2 * philosophers;
        const ui::RingLayout ring = ui::ring_layout(nodes, em, 4000.0f);
        const auto centre = [&](int i) {
            const double a = 2.0 * 3.141592653589793 * i / nodes - 3.141592653589793 / 2.0;
            return std::pair<double, double>(ring.radius * std::cos(a), ring.radius * std::sin(a));
        };
        const auto half = [&](int i) {  // half width, half height of node i's footprint
            return i % 2 == 0 ? std::pair<double, double>(ring.node_r, ring.node_r) : std::pair<double, double>(ring.node_r * 1.4, ring.node_r * 0.7);
        };
        for (int i = 0; i < nodes; ++i) {
            const int j = (i + 1) % nodes;
            const auto [xi, yi] = centre(i);
            const auto [xj, yj] = centre(j);
            const auto [wi, hi] = half(i);
            const auto [wj, hj] = half(j);
            const bool overlap = std::abs(xi - xj) < wi + wj && std::abs(yi - yj) < hi + hj;
            CAPTURE(i);
            CHECK_FALSE(overlap);
        }
        // Every node inside the ring's square.
        CHECK(ring.radius + ring.node_r * 1.4f <= ring.size * 0.5f);
    }
    // A pane narrower than the ring wants (six philosophers' ring is wider than 200 px at 24 px text, by
    // the loop above): the ring is the 200 px it is given, no more.
    CHECK(ui::ring_layout(12, em, 4000.0f).size > 200.0f);
    CHECK(ui::ring_layout(12, em, 200.0f).size == 200.0f);
}

// The line counts here are ImGui's own wrapping (CalcTextSize with a wrap
// width), the same the panes draw with; what is checked is the choice of width.
namespace {
int lines_at(std::string_view text, float width) {
    return static_cast<int>(ImGui::CalcTextSize(text.data(), text.data() + text.size(), false, width).y / ImGui::GetTextLineHeight() + 0.5f);
}
}  // namespace

TEST_CASE("a paragraph that would leave its last word alone wraps a little narrower, in as many lines") {
    Headless h;
    h.frame();
    const std::string text = "Don't code defensively: let a worker crash, and let its supervisor restart it. A restart is a new actor "
                             "with a new address: messages sent to the old one are lost. Too many restarts and the supervisor itself gives up.";
    const std::string_view all = text, head = all.substr(0, all.rfind(' '));
    int orphans = 0, fixed = 0;
    for (float w = 250.0f; w <= 1400.0f; w += 5.0f) {
        CAPTURE(w);
        const float chosen = ui::pretty_width(text, w);
        CHECK(chosen <= w);
        CHECK(chosen >= w * 0.75f - 0.5f);  // the floor the function promises (view_parts.hpp): three quarters
        CHECK(lines_at(all, chosen) == lines_at(all, w));
        const bool alone = lines_at(head, w) < lines_at(all, w);  // "up." on a line of its own
        orphans += alone ? 1 : 0;
        if (!alone) CHECK(chosen == w);  // a text that ends well keeps its width
        if (chosen < w) {
            CHECK(lines_at(head, chosen) == lines_at(all, chosen));
            ++fixed;
        }
    }
    MESSAGE(fixed << " of " << orphans << " widths that left \"up.\" alone were narrowed so that it is not");
    CHECK(orphans > 0);
    CHECK(fixed > 0);
}

TEST_CASE("a point that wraps wraps evenly: the narrowest width of as many lines, down to three quarters") {
    Headless h;
    h.frame();
    const char* point = "A green thread, fiber or coroutine: scheduled by a runtime, not the kernel; many per OS thread";
    const float one_line = ImGui::CalcTextSize(point).x;
    for (float w = one_line * 0.55f; w < one_line * 1.2f; w += 7.0f) {
        CAPTURE(w);
        const float chosen = ui::balanced_width(point, w);
        CHECK(chosen <= w);
        CHECK(chosen >= w * 0.75f);  // the floor the function promises (view_parts.hpp): three quarters
        CHECK(lines_at(point, chosen) == lines_at(point, w));
        // A point of two lines or more: narrower by more than a pixel would take another line,
        // unless the floor stopped it. A point of one line keeps the width it had.
        if (lines_at(point, w) < 2) {
            CHECK(chosen == w);
        } else if (chosen > w * 0.75f + 1.0f) {
            CHECK(lines_at(point, chosen - 1.5f) > lines_at(point, w));
        }
    }
    CHECK(ui::balanced_width(point, one_line + 10.0f) == one_line + 10.0f);  // one line: as wide as it was
}

TEST_CASE("a wrap that is narrowed never breaks a word") {
    // Slide 44 at 1280x720 once read "transactiona / l memory": the two-word name had its last word alone on a line,
    // and the narrower width found for it still took two lines, one word broken. The floor is the word itself,
    // measured here on its own.
    Headless h;
    h.frame();
    const std::string name = "transactional memory";
    const float word = ImGui::CalcTextSize("transactional").x;
    const float whole = ImGui::CalcTextSize(name.c_str()).x;
    int narrowed_before = 0;
    for (float w = word + 1.0f; w < whole; w += 1.0f) {
        CAPTURE(w);
        CHECK(ui::pretty_width(name, w) >= word);
        CHECK(ui::balanced_width(name.c_str(), w) >= word);
        // Where a width a few per cent narrower would still fit the word, the word was never at risk.
        narrowed_before += w * 0.97f < word ? 1 : 0;
    }
    CHECK(narrowed_before > 0);  // the sweep reaches the widths where a narrower wrap would cut the word
    const std::string sentence = "Every model has a cost: the explorer counts schedules, the real threads count nanoseconds";
    for (float w = 200.0f; w < 900.0f; w += 3.0f) {
        CAPTURE(w);
        float longest = 0.0f;
        for (const char* each : {"schedules,", "nanoseconds", "explorer"}) longest = std::max(longest, ImGui::CalcTextSize(each).x);
        if (w <= longest) continue;
        CHECK(ui::pretty_width(sentence, w) >= longest);
        CHECK(ui::balanced_width(sentence.c_str(), w) >= longest);
    }
}

TEST_CASE("a number keeps its unit on its line") {
    // Slide 40 at 1280x720 read "...holds the loop for 60 / ms: no timer fires", and the conclusion "3,204 ns / each".
    // Each expected string is its input with the no-break spaces put in by hand, by the rule view_parts.hpp states:
    // between a number and a whole-word unit, and between such a unit and a following "each".
    const std::string nbsp = "\xC2\xA0";
    CHECK(ui::keep_units("holds the loop for 60 ms: no timer fires") == "holds the loop for 60" + nbsp + "ms: no timer fires");
    CHECK(ui::keep_units("every increment counted; 3,204 ns each") == "every increment counted; 3,204" + nbsp + "ns" + nbsp + "each");
    CHECK(ui::keep_units("0.5 KB per connection, 2 s in all") == "0.5" + nbsp + "KB per connection, 2" + nbsp + "s in all");
    // Not a unit: a word that only starts like one, a number with no unit, a unit after a word.
    for (const std::string same : {"sent 10 msgs", "after 3 steps each", "the ms column", "cut into 5 chunks", "60ms"}) {
        CAPTURE(same);
        CHECK(ui::keep_units(same) == same);
    }
}

namespace {
// WCAG 2.1's contrast ratio (www.w3.org/TR/WCAG21/#dfn-contrast-ratio): relative
// luminance from sRGB, then (lighter + 0.05) / (darker + 0.05).
double luminance(unsigned colour) {
    const auto channel = [&](int shift) {
        const double c = static_cast<double>((colour >> shift) & 0xFF) / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(IM_COL32_R_SHIFT) + 0.7152 * channel(IM_COL32_G_SHIFT) + 0.0722 * channel(IM_COL32_B_SHIFT);
}
double contrast(unsigned a, unsigned b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
}  // namespace

TEST_CASE("every colour text is drawn in reads at 4.5:1 on the page, in both themes") {
    // WCAG's AA level for body text. The colours views draw text in: ImGui's text and secondary text, and the
    // palette's muted, accent, bad, good and ready (the explorer's verdict), running (the loop's callback).
    // The two grounds: the page (panels draw no fill of their own) and a window's (menus, popups).
    CHECK(contrast(IM_COL32(255, 255, 255, 255), IM_COL32(0, 0, 0, 255)) == doctest::Approx(21.0));  // the formula's own end points
    ImGuiContext* before = ImGui::GetCurrentContext();
    ImGuiContext* own = ImGui::CreateContext();
    ImGui::SetCurrentContext(own);
    for (const ui::Theme theme : {ui::Theme::Light, ui::Theme::Dark}) {  // dark last: the app's own, as the other tests expect
        ui::apply_theme(theme, 1.0f);
        const ui::Palette& pal = ui::palette();
        const ImGuiStyle& style = ImGui::GetStyle();
        const std::pair<const char*, unsigned> inks[] = {
            {"text", ImGui::ColorConvertFloat4ToU32(style.Colors[ImGuiCol_Text])},
            {"secondary text", ImGui::ColorConvertFloat4ToU32(style.Colors[ImGuiCol_TextDisabled])},
            {"muted", pal.muted}, {"accent", pal.accent}, {"bad", pal.bad}, {"good", pal.good}, {"ready", pal.ready},
            {"running", pal.running}};
        const std::pair<const char*, unsigned> grounds[] = {{"page", ui::page_colour()},
                                                            {"window", ImGui::ColorConvertFloat4ToU32(style.Colors[ImGuiCol_WindowBg])}};
        for (const auto& [ink_name, ink] : inks) {
            for (const auto& [ground_name, ground] : grounds) {
                const std::string what = std::string(theme == ui::Theme::Dark ? "dark: " : "light: ") + ink_name + " on the " + ground_name;
                const double ratio = contrast(ink, ground);
                CAPTURE(what);
                CAPTURE(ratio);
                CHECK(ratio >= 4.5);
            }
        }
    }
    ImGui::DestroyContext(own);
    ImGui::SetCurrentContext(before);
}

namespace {
// The lines a table takes: each row as tall as its tallest cell, each cell wrapped by ImGui at its column's width.
int table_lines(const std::vector<std::vector<std::string>>& cells, const std::vector<float>& widths) {
    int sum = 0;
    for (std::size_t r = 0; r < cells[0].size(); ++r) {
        int tallest = 1;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const float h = ImGui::CalcTextSize(cells[c][r].c_str(), nullptr, false, widths[c]).y;
            tallest = std::max(tallest, static_cast<int>(h / ImGui::GetTextLineHeight() + 0.5f));
        }
        sum += tallest;
    }
    return sum;
}
}  // namespace

TEST_CASE("a table's columns take the widths that make it shortest") {
    // Slide 12's "concurrent and / parallel" wrapped in seven rows while the model's column had room to spare.
    Headless h;
    h.frame();
    const std::vector<std::string> heads = {"Model", "Runs on", "Concurrent / parallel"};
    const std::vector<std::vector<std::string>> cells = {
        {"Threads & mutexes", "Threads & transactional memory", "Coroutines", "Green threads / VM processes"},
        {"native threads", "native threads", "one thread", "a few OS threads shared by many tasks (M:N)"},
        {"concurrent and parallel", "concurrent and parallel", "concurrent, not parallel", "concurrent, parallel up to the workers"}};
    int shared = 0;
    for (const float room : {300.0f, 520.0f, 640.0f, 760.0f, 900.0f}) {
        CAPTURE(room);
        const std::vector<float> widths = ui::content_widths(heads, cells, room);
        float least_sum = 0.0f, sum = 0.0f;
        std::vector<float> least(3);
        for (std::size_t c = 0; c < 3; ++c) {
            least[c] = ImGui::CalcTextSize(heads[c].c_str()).x;
            for (const std::string& cell : cells[c]) least[c] = std::max(least[c], ui::longest_word_width(cell));
            CHECK(widths[c] >= least[c] - 0.01f);  // no word broken, no heading cut
            least_sum += least[c];
            sum += widths[c];
        }
        if (room <= least_sum) {  // too narrow for the words: each column keeps its longest
            for (std::size_t c = 0; c < 3; ++c) CHECK(widths[c] == doctest::Approx(least[c]));
            continue;
        }
        ++shared;
        CHECK(sum == doctest::Approx(room));
        // An independent count: every way of sharing the room beyond the words in 48ths, the fewest lines of all.
        const float step = (room - least_sum) / 48.0f;
        int fewest = 1 << 30;
        for (int a = 0; a <= 48; ++a) {
            for (int b = 0; a + b <= 48; ++b) {
                const int rest = 48 - a - b;
                fewest = std::min(fewest, table_lines(cells, {least[0] + step * a, least[1] + step * b, least[2] + step * rest}));
            }
        }
        CHECK(table_lines(cells, widths) == fewest);
    }
    CHECK(shared >= 3);  // most rooms have some to share beyond the words
}
