// The playground: a program loaded by command runs on the engine with its
// tasks marked at their lines; errors keep the text and say where; programs
// travel in #play?code= links; typing and pasting reach the editor.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "imgui.h"
#include "scenes/program.hpp"
#include "tests/ui/headless.hpp"
#include "ui/code_view.hpp"
#include "ui/deep_link.hpp"
#include "ui/playground.hpp"

using namespace such;

namespace {
// Two workers, each a read then a write of x: one step per line.
const std::string kRace =
    "local x = shared(0)\n"
    "local function worker()\n"
    "  local tmp = x.value   -- read\n"
    "  x.value = tmp + 1     -- write\n"
    "end\n"
    "go(worker)\n"
    "go(worker)\n";

// The 0-based line of `text` that contains `what`, counted here, not by the app.
int line_of(const std::string& text, const std::string& what) {
    const auto at = text.find(what);
    REQUIRE(at != std::string::npos);
    int line = 0;
    for (std::size_t i = 0; i < at; ++i) line += text[i] == '\n';
    return line;
}

std::string task_at(const std::string& name, int line) {
    return "\"name\":\"" + name + "\",\"line\":" + std::to_string(line) + ",";
}

// Clicks the editor where the state says it is: at (fx, fy) of its width and
// height (a little inside its edges), pressed in one frame, released in the next.
void click_editor(Headless& h, float fx, float fy) {
    const std::string state = h.app.state_json();
    const auto at = state.find("\"editor\":[");
    REQUIRE(at != std::string::npos);
    float x = 0, y = 0, w = 0, hgt = 0;
    REQUIRE(std::sscanf(state.c_str() + at + 10, "%f,%f,%f,%f", &x, &y, &w, &hgt) == 4);
    REQUIRE(w > 100);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x + 4 + (w - 8) * fx, y + 6 + (hgt - 12) * fy);
    io.MouseDown[0] = true;
    h.frame();
    io.MouseDown[0] = false;
    h.frame();
}

// The program's length and hash as the state reports them.
std::string same_text(const std::string& text) {
    return "\"length\":" + std::to_string(text.size()) + ",\"hash\":" + std::to_string(ui::text_hash(text)) + ",";
}
}  // namespace

TEST_CASE("a program loaded by command runs, and its two tasks stand at different lines") {
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode(kRace)));
    CHECK(h.has("\"view\":\"scene\""));
    CHECK(h.has("\"scene\":\"play\""));
    CHECK(h.has("\"open\":true,\"editing\":true"));
    CHECK(h.has(same_text(kRace)));
    CHECK(h.frame() > 500);
    // You are the scheduler: T1 reads, T2 has not started its read yet.
    REQUIRE(h.app.command("policy manual"));
    REQUIRE(h.app.command("pick 1"));
    CHECK(h.frame() > 500);
    CHECK(h.has("\"step\":1"));
    CHECK(h.has("\"editing\":false"));
    CHECK(h.has(task_at("T1", line_of(kRace, "-- write"))));
    CHECK(h.has(task_at("T2", line_of(kRace, "-- read"))));
    // Both read 0 before either writes: the lost update, as in the race scene.
    REQUIRE(h.app.command("pick 2"));
    REQUIRE(h.app.command("pick 1"));
    REQUIRE(h.app.command("pick 2"));
    CHECK(h.has("\"x\":\"1\""));
    CHECK(h.frame() > 500);
    // Edit goes back to the editor at step 0 with the same text.
    REQUIRE(h.app.command("edit"));
    CHECK(h.has("\"step\":0"));
    CHECK(h.has("\"editing\":true"));
    CHECK(h.has(same_text(kRace)));
}

TEST_CASE("run-program takes the first step at once and plays on; output is reported") {
    Headless h;
    const std::string text = "go(function() print(\"hello\") print(\"again\") end)\n";
    REQUIRE(h.app.command("program " + ui::base64url_encode(text)));
    REQUIRE(h.app.command("run-program"));
    CHECK(h.has("\"step\":1"));
    CHECK(h.has("\"playing\":true"));
    for (int i = 0; i < 240 && h.has("\"verdict\":\"running\""); ++i) h.frame();  // 2 steps a second
    CHECK(h.has("\"verdict\":\"finished\""));
    CHECK(h.has("\"output\":[\"hello\",\"again\"]"));
}

TEST_CASE("a syntax error keeps the text and says the line and column") {
    Headless h;
    const std::string text = "local x = shared(0)\ngo(function()\n  x = )\nend)\n";
    REQUIRE(h.app.command("program " + ui::base64url_encode(text)));
    // Line 3 is "  x = )": the ')' Lua names is its 7th character.
    CHECK(h.has("\"error\":{\"kind\":\"syntax\",\"line\":3,\"column\":7,"));
    CHECK(h.has("unexpected symbol near ')'"));
    CHECK(h.has(same_text(text)));
    CHECK(h.frame() > 500);
    CHECK_FALSE(h.app.command("run-program"));
    CHECK(h.app.last_error().starts_with("line 3, column 7: "));
    CHECK(h.has(same_text(text)));
    CHECK(h.has("\"editing\":true"));
    // Nor does any other way of running it: a step ran the program's one task, which failed on the
    // syntax error, and the explorer called that one execution a complete search with a finding.
    for (const char* verb : {"step", "play", "toggle", "explore", "seek 3", "real"}) {
        CAPTURE(verb);
        CHECK_FALSE(h.app.command(verb));
        CHECK(h.app.last_error() == "the program does not compile (line 3, column 7: unexpected symbol near ')'): fix it, then Run");
        h.frame();
        CHECK(h.has("\"step\":0"));
        CHECK(h.has("\"playing\":false"));
    }
    REQUIRE(h.app.command("policy manual"));
    CHECK_FALSE(h.app.command("task 1"));
    CHECK(h.has("\"hint_line\":\"does not compile: fix the marked line, then Run\""));
    CHECK(h.has("\"step\":0"));
}

TEST_CASE("a program's headline says it has not started, and names a task that failed before the first step") {
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode("go(function() print(\"hi\") end)\n")));
    CHECK(h.has("\"outcome\":\"not started\""));
    // Before the first step each task runs its code up to its first step: this one fails there.
    const std::string fails = "go(function() local t = nil; local u = t + 1 end)\ngo(function() print(\"hi\") end)\n";
    REQUIRE(h.app.command("program " + ui::base64url_encode(fails)));
    CHECK(h.has("\"outcome\":\"T1 failed: line 1: attempt to perform arithmetic on a nil value (local 't')\""));
}

TEST_CASE("base64url follows RFC 4648's test vectors, without padding") {
    // RFC 4648, section 10; "+/" become "-_" in the URL alphabet (section 5).
    const std::pair<std::string, std::string> vectors[] = {
        {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"},
        {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
    for (const auto& [bytes, code] : vectors) {
        CHECK(ui::base64url_encode(bytes) == code);
        std::string back, error;
        CHECK(ui::base64url_decode(code, back, error));
        CHECK(back == bytes);
    }
}

TEST_CASE("a #play?code= link opens the same text with its seed, and the page's link carries it back") {
    Headless h;
    const std::string text = "-- déjà vu: UTF-8 survives\n" + kRace;
    scenes::Settings settings;
    settings.seed = 5;
    const std::string link = ui::make_play_link(text, settings);
    CHECK(link.starts_with("#play?code="));
    CHECK(link.ends_with("&seed=5"));
    REQUIRE(h.app.open_link(link));
    CHECK(h.has(same_text(text)));
    CHECK(h.has("\"seed\":5"));
    CHECK(h.has("\"link\":\"" + link + "\""));
    // The listing the run shows is the text, line for line.
    CHECK(h.has("\"listing\":" + ui::json_string(text + "\n")));  // the state ends every line, the last (empty) one too
    h.frame();
    // A shipped example by name.
    const scenes::Example& first = scenes::examples().front();
    REQUIRE(h.app.open_link("#play?example=" + first.id + "&seed=2"));
    CHECK(h.has(same_text(first.text)));
    CHECK(h.has("\"seed\":2"));
}

// What a run shows: its program, step, trace and objects, and its link (the state's other fields say how it
// was reached: a replayed pick counts for no challenge).
std::string run_shown(const std::string& state) {
    std::string out;
    for (const char* key : {"\"hash\":", "\"link\":", "\"step\":", "\"trace_hash\":", "\"objects\":", "\"tasks\":"}) {
        const auto at = state.find(key);
        out += at == std::string::npos ? std::string("none") : state.substr(at, state.find_first_of(",}", state.find(':', at) + 1) - at);
        out += "; ";
    }
    return out;
}

TEST_CASE("a program's link carries its step and a manual run's picks, and reopens there") {
    // Copy link after replaying a bug opened the program at step 0 (found by a review in Chromium); a
    // scene's link already said "&step=3&choices=0,1,2".
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode(kRace)));
    REQUIRE(h.app.command("policy manual"));
    for (const char* pick : {"pick 1", "pick 2", "pick 2", "pick 1"}) REQUIRE(h.app.command(pick));
    const std::string link = h.app.link();
    const auto at = link.find("&policy=manual&step=4&choices=");
    REQUIRE(at != std::string::npos);
    CHECK(std::count(link.begin() + static_cast<std::ptrdiff_t>(at), link.end(), ',') == 3);  // the four picks above
    Headless other;
    REQUIRE(other.app.open_link(link));
    CHECK(run_shown(other.app.state_json()) == run_shown(h.app.state_json()));
    CHECK(other.has("\"step\":4,"));
    // A link at a step of a preemptive run replays its seed to there.
    REQUIRE(h.app.command("policy preemptive"));
    REQUIRE(h.app.command("seek 3"));
    CHECK(h.app.link().ends_with("&step=3"));
    REQUIRE(other.app.open_link(h.app.link()));
    CHECK(run_shown(other.app.state_json()) == run_shown(h.app.state_json()));
    // Choices that cannot replay, or without the manual policy or the program, change nothing and say why.
    const std::string code = ui::base64url_encode(kRace);
    CHECK_FALSE(other.app.open_link("#play?code=" + code + "&policy=manual&choices=1,1,1,1,1,1,1,1"));
    CHECK(other.app.last_error().starts_with("the link's choices do not replay: "));
    CHECK_FALSE(other.app.open_link("#play?code=" + code + "&choices=1,2"));
    CHECK(other.app.last_error() == "choices are the picks of a manual run (add policy=manual)");
    CHECK_FALSE(other.app.open_link("#play?step=3"));
    CHECK(other.app.last_error() == "a step or choices need the program (code or example)");
    CHECK_FALSE(other.app.open_link("#play?code=" + code + "&step=-1"));
    CHECK(other.app.last_error().starts_with("step must be a whole number"));
    CHECK(run_shown(other.app.state_json()) == run_shown(h.app.state_json()));
}

TEST_CASE("\"link copied\" is said while the link is the one copied") {
    // It stayed through steps, the explorer and other programs opened from links (a review in Chromium).
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode(kRace)));
    REQUIRE(h.app.command("copy-link"));
    CHECK(h.has("\"status\":\"link copied\""));
    REQUIRE(h.app.command("step"));  // the address now says step 1: another link
    CHECK(h.has("\"status\":\"\""));
    REQUIRE(h.app.command("copy-link"));
    REQUIRE(h.app.command("program " + ui::base64url_encode("print(1)\n")));
    CHECK(h.has("\"status\":\"\""));
}

TEST_CASE("a run longer than the choices it keeps steps back and forth to the same states") {
    // Two adders that never end: past 2 x engine::kKeptEvents steps the run has
    // let its oldest events and choices go (its seed makes them again).
    const std::string forever =
        "local x = shared(0)\n"
        "local function adder()\n"
        "  while true do x.value = x.value + 1 end\n"
        "end\n"
        "go(adder)\n"
        "go(adder)\n";
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode(forever)));
    const std::uint64_t far = 2 * engine::kKeptEvents + 1;
    REQUIRE(h.app.command("seek " + std::to_string(far)));
    CHECK(h.frame() > 100);  // the timeline draws its latest ticks only
    const std::string there = h.app.state_json();
    CHECK(there.find("\"step\":" + std::to_string(far) + ",") != std::string::npos);
    REQUIRE(h.app.command("step"));
    h.frame();
    CHECK(h.app.state_json() != there);
    REQUIRE(h.app.command("back"));
    h.frame();
    CHECK(h.app.state_json() == there);  // the trace hash, the counter, the step: all as they were
}

TEST_CASE("a bad #play link leaves the page and the program as they were, with a note") {
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode(kRace)));
    const std::string link = h.app.link();
    CHECK_FALSE(h.app.open_link("#play?code=bG9j$WwK"));
    CHECK(h.has("\"view\":\"scene\""));
    CHECK(h.app.link() == link);
    CHECK(h.has("the code is not base64url: '$' at character 5"));
    CHECK(h.has(same_text(kRace)));
    CHECK_FALSE(h.app.open_link("#play?code=" + std::string(100000, 'A')));
    CHECK(h.has("the program in the link is too long"));
    CHECK_FALSE(h.app.open_link("#play?code=Zm9v&seed=x"));
    CHECK(h.has("seed must be a non-negative whole number"));
    CHECK_FALSE(h.app.open_link("#play?example=nope"));
    CHECK(h.has("no example called 'nope'"));
    CHECK_FALSE(h.app.command("program !!"));
    CHECK(h.has(same_text(kRace)));
    CHECK(h.frame() > 100);
}

TEST_CASE("pasted text goes in at the cursor, line ends made LF; revert brings back what a load replaced") {
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode("go(function() end)\n")));
    h.frame();
    REQUIRE(h.app.command("paste print(1)\r\nprint(2)\n"));  // the cursor starts at the end
    CHECK(h.has(same_text("go(function() end)\nprint(1)\nprint(2)\n")));
    REQUIRE(h.app.command("example " + scenes::examples().front().id));
    CHECK(h.has(same_text(scenes::examples().front().text)));
    REQUIRE(h.app.command("revert"));
    CHECK(h.has(same_text("go(function() end)\nprint(1)\nprint(2)\n")));
    CHECK(h.has("\"example\":\"\""));
    // An example a link replaced comes back named: the examples' list shows its title again.
    REQUIRE(h.app.command("example " + scenes::examples().back().id));
    REQUIRE(h.app.command("program " + ui::base64url_encode("go(function() end)\n")));
    CHECK(h.has("\"example\":\"\""));
    REQUIRE(h.app.command("revert"));
    CHECK(h.has("\"example\":\"" + scenes::examples().back().id + "\""));
}

TEST_CASE("a program opened from a file is saved back to that file; a shipped example keeps the field as it was") {
    Headless h;
    const std::string file = (std::filesystem::temp_directory_path() / "such_test_open_save.lua").string();
    {
        std::ofstream out(file, std::ios::binary);
        out << kRace;
    }
    CHECK(h.has("\"path\":\"program.lua\""));
    REQUIRE(h.app.command("example " + scenes::examples().front().id));
    REQUIRE_MESSAGE(h.app.command("load examples/" + scenes::examples().front().id), h.app.last_error());
    CHECK(h.has("\"path\":\"program.lua\""));  // no file behind it
    REQUIRE_MESSAGE(h.app.command("load " + file), h.app.last_error());
    CHECK(h.has("\"path\":" + ui::json_string(file)));
    CHECK(h.has(same_text(kRace)));
    std::filesystem::remove(file);
}

TEST_CASE("characters the fonts cannot draw are counted and said, the program's text unchanged") {
    Headless h;
    // The code font is Debian's JetBrains Mono: `fc-query` lists é, λ (U+03BB) and ✓ (U+2713) in its
    // charset, all in glyph_ranges.hpp's ranges, and no CJK. So of "héllo λ ✓ 日本 日" it lacks 日 and
    // 本: 2 different characters (日 is there twice).
    const std::string text = "print(\"h\xC3\xA9llo \xCE\xBB \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xE6\x97\xA5\")\n";
    REQUIRE(h.app.command("program " + ui::base64url_encode(text)));
    h.frame();
    CHECK(h.has("\"missing_glyphs\":2"));
    CHECK(h.has(same_text(text)));
    REQUIRE(h.app.command("program " + ui::base64url_encode("print(\"h\xC3\xA9llo\")\n")));
    h.frame();
    CHECK(h.has("\"missing_glyphs\":0"));
}

TEST_CASE("typing into the editor changes the program and remakes its run") {
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode(kRace)));
    h.frame();
    click_editor(h, 1.0f, 0.0f);  // the end of the first line
    ImGui::GetIO().AddInputCharactersUTF8(" -- typed");
    h.frame();
    h.frame();
    const std::string typed = "local x = shared(0) -- typed\n" + kRace.substr(kRace.find('\n') + 1);
    CHECK(h.has(same_text(typed)));
    CHECK(h.has("\"listing\":" + ui::json_string(typed + "\n")));  // the run was made from the new text
}

TEST_CASE("programs run on the simulator only, and the app says so") {
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode(kRace)));
    CHECK_FALSE(h.app.command("real"));
    CHECK(h.app.last_error() == "programs run on the simulator and the explorer");
}

TEST_CASE("the menu leads with a program ready to run") {
    Headless h;
    h.app.show_menu();
    h.frame();
    CHECK(h.has("\"menu_run_button\":["));
    CHECK_FALSE(h.has("\"menu_run_button\":[-1,-1]"));
    REQUIRE(h.app.command("example " + scenes::examples().front().id));
    REQUIRE(h.app.command("run-program"));
    CHECK(h.has("\"step\":1"));
}

TEST_CASE("the menu's Run runs the program you left, and leaves its text as it was") {
    // The menu's box showed the first example, and its Run loaded that example over the user's own
    // program, which the page then kept in local storage in its place (found by a review in Chromium).
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode(kRace)));
    h.app.show_menu();
    h.frame();
    h.frame();
    CHECK(h.drew_text());
    const std::string state = h.app.state_json();
    const auto at = state.find("\"menu_run_button\":[");
    REQUIRE(at != std::string::npos);
    float x = -1, y = -1;
    REQUIRE(std::sscanf(state.c_str() + at + 19, "%f,%f", &x, &y) == 2);
    REQUIRE(x > 0);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    h.frame();  // hovered, then pressed
    io.MouseDown[0] = true;
    h.frame();
    io.MouseDown[0] = false;
    h.frame();
    CHECK(h.has("\"step\":1"));
    CHECK(h.has(same_text(kRace)));  // the program ran is the one the box showed, still the user's
}

TEST_CASE("Lua's long comments and strings colour across lines; escaped quotes stay inside strings") {
    const std::string text = "--[[ a\nb ]] x = \"q\\\"\" .. [==[s]]\n]==] -- end\nlocal n = 0x1F + 2e-3";
    const std::vector<ui::Span> spans = ui::lua_spans(text);
    const auto kind_at = [&](std::size_t at) {
        for (const ui::Span& s : spans) {
            if (s.begin <= at && at < s.end) return static_cast<int>(s.kind);
        }
        return -1;
    };
    CHECK(kind_at(text.find('b')) == static_cast<int>(ui::Token::Comment));
    CHECK(kind_at(text.find('x')) == -1);
    CHECK(kind_at(text.find("\\\"") + 1) == static_cast<int>(ui::Token::String));
    CHECK(kind_at(text.find("]==]")) == static_cast<int>(ui::Token::String));
    CHECK(kind_at(text.find("end")) == static_cast<int>(ui::Token::Comment));
    CHECK(kind_at(text.find("local")) == static_cast<int>(ui::Token::Keyword));
    CHECK(kind_at(text.find("1F")) == static_cast<int>(ui::Token::Number));
    CHECK(kind_at(text.find("e-3")) == static_cast<int>(ui::Token::Number));
}

TEST_CASE("text pasted while the editor has the caret goes in at the caret") {
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode("-- mine\n")));
    h.frame();
    click_editor(h, 0.5f, 1.0f);  // below the text: the caret goes to its end
    ImGui::GetIO().AddInputCharactersUTF8("go(function() print(\"typed\") end)");
    h.frame();
    REQUIRE(h.app.command("paste \ngo(function() print(\"pasted\") end)\n"));  // the field takes it on its next frame
    h.frame();
    const std::string text = "-- mine\ngo(function() print(\"typed\") end)\ngo(function() print(\"pasted\") end)\n";
    CHECK(h.has(same_text(text)));
    REQUIRE(h.app.command("run-program"));
    REQUIRE(h.app.command("seek 1000"));
    CHECK((h.has("\"output\":[\"typed\",\"pasted\"]") || h.has("\"output\":[\"pasted\",\"typed\"]")));  // either order, by the seed
}

TEST_CASE("backspace erases the characters before the caret, whole UTF-8 characters, focused or not") {
    // What a phone's keyboard erases reaches the editor as this command (index.html): ImGui hears no keys there.
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode("-- déjà")));
    h.frame();
    REQUIRE(h.app.command("backspace"));  // not focused: at once, at the caret (the text's end)
    CHECK(h.has(same_text("-- déj")));    // "à" is two bytes, one character
    REQUIRE(h.app.command("backspace 2"));  // "j" and "é"
    CHECK(h.has(same_text("-- d")));
    h.frame();                    // the editor as the text now is
    click_editor(h, 0.5f, 1.0f);  // focused: the caret at the end
    ImGui::GetIO().AddInputCharactersUTF8("xy");
    h.frame();
    REQUIRE(h.app.command("backspace"));  // the field takes it on its next frame
    h.frame();
    h.frame();
    CHECK(h.has(same_text("-- dx")));
    CHECK_FALSE(h.app.command("backspace 0"));
    CHECK(h.app.last_error() == "backspace takes a count from 1 to 1000");
    CHECK_FALSE(h.app.command("backspace x"));
    CHECK(h.has(same_text("-- dx")));
}

TEST_CASE("Escape in the editor leaves it and keeps what was typed") {
    Headless h;
    REQUIRE(h.app.command("program " + ui::base64url_encode("-- mine\n")));
    h.frame();
    click_editor(h, 0.5f, 1.0f);
    ImGui::GetIO().AddInputCharactersUTF8("print(1)");
    h.frame();
    // ImGui's own Escape puts back the text from when the field was focused.
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_Escape] = 27;
    io.KeysDown[27] = true;
    h.frame();
    io.KeysDown[27] = false;
    h.frame();
    CHECK(h.has(same_text("-- mine\nprint(1)")));
    ImGui::GetIO().AddInputCharactersUTF8("x");  // the field has let go: typing goes nowhere
    h.frame();
    CHECK(h.has(same_text("-- mine\nprint(1)")));
}
