// Bad input at the app's edges: links of any length and bytes, thrown at the
// headless app, are refused with a message and change nothing it shows; what
// a linked program makes is drawn cut short; font files that are missing or
// broken fall back to ImGui's own font; files named are read only when regular.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "imgui.h"
#include "tests/ui/headless.hpp"
#include "ui/deep_link.hpp"
#include "ui/font_file.hpp"
#include "ui/theme.hpp"
#include "ui/user_file.hpp"

using namespace such;

namespace {
// What a refused link must leave as it was: the page, the scene, its settings and step.
std::string shown_state(const ui::App& app) {
    std::string state = app.state_json();
    const auto note = state.find(",\"note\":");
    return app.link() + " " + state.substr(0, note);
}
}  // namespace

TEST_CASE("a 10,000-character link is refused with a short note, and the open scene stays as it was") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=3"));
    h.app.command("step");
    const std::string before = shown_state(h.app);
    for (const std::string& bad : {"#" + std::string(10000, 'x'), "#race?seed=" + std::string(10000, '1'),
                                   "#race?" + std::string(10000, 'k') + "=1", "#play?code=" + std::string(9999, '*'),
                                   "#slide/" + std::string(10000, '9')}) {
        CAPTURE(bad.size());
        CHECK_FALSE(h.app.open_link(bad));
        CHECK_FALSE(h.app.last_error().empty());
        CHECK(h.app.last_error().size() < 200);  // quoted short, not the whole link
        CHECK(shown_state(h.app) == before);
        CHECK(h.has("Could not open link"));
        // ImGui's 16-bit indices cap a window at 65,536 vertices (imgui.h, ImDrawIdx): a long note drawn whole broke it.
        CHECK(h.frame() > 100);
    }
}

TEST_CASE("the browser's percent-encoded hash opens; a broken escape is refused and says where") {
    Headless h;
    // "%3F" is '?' and "%3D" '=' (RFC 3986, section 2.1: a '%' and the byte's two hex digits).
    REQUIRE(h.app.open_link("#race%3Fseed%3D7"));
    CHECK(h.app.link() == "#atomicity/race?seed=7&sync=0&threads=2");
    const std::string before = shown_state(h.app);
    // The hash that once threw in index.html: "%A" is cut short at the end, at
    // the 7th character of "%E0%A4%A" (the '#' is not counted; "race?seed=" is 10).
    CHECK_FALSE(h.app.open_link("#%E0%A4%A"));
    CHECK(h.app.last_error() == "the link has a '%' that is not followed by two hex digits ('%A' at character 7)");
    CHECK(shown_state(h.app) == before);
    CHECK_FALSE(h.app.open_link("#race?seed=%zz"));
    CHECK(h.app.last_error() == "the link has a '%' that is not followed by two hex digits ('%zz' at character 11)");
    // Escapes that decode to bytes which are not UTF-8, or to a NUL, are quoted as '?'.
    CHECK_FALSE(h.app.open_link("#%E0%A4"));
    CHECK(h.app.last_error() == "no scene called '?\?'");
    CHECK_FALSE(h.app.open_link("#race%00x"));
    CHECK(h.app.last_error() == "no scene called 'race?x'");
    CHECK(shown_state(h.app) == before);
    // frame() counts the vertices drawn: the page still draws after the
    // refusals (100 rules out an empty or aborted frame, nothing finer).
    CHECK(h.frame() > 100);
}

TEST_CASE("a program's 100,000-character value, error and printed line are drawn cut short; the run keeps them whole") {
    // Programs travel in links (#play?code=), so these came from an address too.
    const std::string v(100000, 'v');
    for (const std::string program : {"local x = shared(0)\ngo(function() x.value = string.rep('v', 100000) end)\n",
                                      "go(function() error(string.rep('v', 100000)) end)\n",
                                      "print(string.rep('v', 100000))\n"}) {
        CAPTURE(program);
        Headless h;
        REQUIRE(h.app.open_link(ui::make_play_link(program, {})));
        REQUIRE(h.app.command("run-program"));
        for (int i = 0; i < 6; ++i) {
            h.app.command("step");
            CHECK(h.frame() > 100);  // ImGui asserted past 65,536 vertices in a window (imgui.h, ImDrawIdx)
        }
        CHECK(h.has(v));
        REQUIRE(h.app.command("tab trace"));
        CHECK(h.frame() > 100);
        REQUIRE(h.app.command("explore"));
        while (h.app.busy()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        REQUIRE(h.app.command("tab explorer"));
        CHECK(h.frame() > 100);
        CHECK(h.frame() > 100);
    }
}

TEST_CASE("a trace file naming a 100,000-character scene is refused; the note is drawn cut short") {
    Headless h;
    REQUIRE(h.app.open_link("#race?seed=3"));
    const std::string before = shown_state(h.app);
    // A header as such run --trace writes one (tests/e2e/cli.sh reopens such files), its scene renamed.
    const std::string header = "{\"such_trace\":1,\"scene\":\"" + std::string(100000, 's') +
                               "\",\"params\":[],\"seed\":7,\"policy\":\"preemptive\",\"cores\":1,\"quantum\":1,"
                               "\"tasks\":[\"T1\",\"T2\"],\"objects\":[\"foo\"],\"choices\":[0]}\n";
    CHECK_FALSE(h.app.command("trace-text " + header));
    CHECK(h.app.last_error().find("which this version does not have") != std::string::npos);
    CHECK(shown_state(h.app) == before);
    CHECK(h.frame() > 100);
}

// [SECTION] Font files

namespace {
std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}
void write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}
const std::string kFontDir = SUCH_FONT_DIR;
}  // namespace

TEST_CASE("Debian's fonts pass the font check; cut short, emptied or random ones are refused with a reason") {
    for (const char* name : {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "JetBrainsMono-Regular.ttf"}) {
        CAPTURE(name);
        const std::string font = read_file(kFontDir + "/" + name);
        REQUIRE(font.size() > 10000);
        std::string error;
        CHECK(ui::check_font_file(font, error));
        // Cut anywhere short of its end (a thousand places), a font loses a table stb_truetype reads.
        for (std::size_t k = 0; k < 1000; ++k) {
            const std::size_t cut = font.size() * k / 1000;
            error.clear();
            CHECK_FALSE(ui::check_font_file(std::string_view(font).substr(0, cut), error));
            CHECK_FALSE(error.empty());
        }
    }
    std::mt19937 random(19);
    for (int i = 0; i < 1000; ++i) {
        std::string bytes(random() % 4096, '\0');
        for (char& c : bytes) c = static_cast<char>(random());
        if (i % 2) bytes.replace(0, std::min<std::size_t>(4, bytes.size()), std::string("\0\1\0\0", 4));  // a TrueType version, then noise
        std::string error;
        CHECK_FALSE(ui::check_font_file(bytes, error));
        CHECK_FALSE(error.empty());
    }
}

TEST_CASE("a corrupt, empty or missing font falls back to ImGui's own font and says which") {
    const auto dir = std::filesystem::temp_directory_path() / ("such_fonts_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    write_file(dir / "DejaVuSans.ttf", "this is not a font, it is a sentence");
    write_file(dir / "DejaVuSans-Bold.ttf", "");
    std::filesystem::copy_file(kFontDir + "/JetBrainsMono-Regular.ttf", dir / "JetBrainsMono-Regular.ttf");
    ImGuiContext* context = ImGui::CreateContext();
    ui::Fonts fonts;
    std::string warning;
    CHECK(ui::load_fonts(dir.string(), 22.0f, 1.0f, true, fonts, warning));
    CHECK(fonts.body);
    CHECK(fonts.title);
    CHECK(fonts.code);
    CHECK(warning == "font " + (dir / "DejaVuSans.ttf").string() + ": not a TrueType or OpenType font; font " +
                         (dir / "DejaVuSans-Bold.ttf").string() + ": cut short before its table directory (using ImGui's built-in font instead)");
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    CHECK(w > 0);
    // A folder with no fonts at all: every font is ImGui's.
    CHECK(ui::load_fonts((dir / "none").string(), 22.0f, 1.0f, true, fonts, warning));
    CHECK(warning.starts_with("font " + (dir / "none" / "DejaVuSans.ttf").string() + ": no such file;"));
    ImGui::DestroyContext(context);
    std::filesystem::remove_all(dir);
}

// [SECTION] Files a user names

TEST_CASE("a file a user names is read only when it is a regular file, and only up to its limit") {
    const auto dir = std::filesystem::temp_directory_path() / ("such_files_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    write_file(dir / "ten", "0123456789");
    std::string text, error;
    CHECK(ui::read_user_file((dir / "ten").string(), 10, text, error));
    CHECK(text == "0123456789");
    CHECK_FALSE(ui::read_user_file((dir / "ten").string(), 9, text, error));
    CHECK(error == "larger than 9 bytes");
    CHECK_FALSE(ui::read_user_file((dir / "none").string(), 10, text, error));
    CHECK(error == "no such file");
    CHECK_FALSE(ui::read_user_file(dir.string(), 10, text, error));
    CHECK(error == "not a readable file");
    // A device that never ends (a progress path set to it once hung the app at start).
    CHECK_FALSE(ui::read_user_file("/dev/zero", 10, text, error));
    CHECK(error == "not a readable file");
    std::filesystem::remove_all(dir);
}
