// The talk "Such blocking, very concurrency, wow" as data: an ordered list of
// slides, each text (a title, bullets, code) or a live scene with its slide
// text beside it, plus the models table and the conclusion. The app presents
// it (ui/talk.cpp); the tests walk it; `such deck --export` prints it.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scenes/scene.hpp"

namespace such::scenes {

enum class SlideKind {
    Text,    // title, bullets, maybe code
    Live,    // a scene running beside its text
    Models,  // the models table, every row a link into its scene
    Compare, // one scene in every value of a parameter, side by side ("use the best tool")
};

struct Slide {
    SlideKind kind = SlideKind::Text;
    std::string section;               // the talk's part: "General concepts", "Actors"...
    std::string title;
    std::string subtitle;
    // Bullets; "+ " starts a pro and "- " a con (drawn in colour), "  " a sub-point.
    std::vector<std::string> bullets;
    std::string code;                  // a listing, drawn in the code font
    std::string link;                  // Live, Compare: the scene and its settings, "race?seed=3"
    std::string compare;               // Compare: the parameter whose every choice gets a row
    std::uint64_t export_steps = 40;   // Live: steps taken before `deck --export` draws it
    std::string vary;                  // Live: the parameter the V key steps through ("" the scene's first with named choices)
    std::string notes;                 // what the speaker says (Live: the scene's notes when empty)
};

// The whole talk, in order.
const std::vector<Slide>& deck();

// The models table in the talk's order: each row and the first scene that
// shows it (nullptr: not landed yet, and the table says so).
struct ModelsRow {
    const ModelRow* row;
    const Scene* scene;
};
std::vector<ModelsRow> models_table();

// Slide i's title (a live slide without its own takes the scene's title).
std::string slide_title(std::size_t i);
// The scene a live slide shows (nullptr for other slides).
const Scene* slide_scene(std::size_t i);
// The parameter a live slide's V key steps through: `id` when given, else the
// scene's first with named choices, else its first; nullptr when it has none.
const Param* variant_param(const Scene& scene, std::string_view id);
// The speaker notes of slide i (a live slide without its own takes the scene's).
std::string slide_notes(std::size_t i);

}  // namespace such::scenes
