// Deep links: "#race?seed=7&mutex=1" names a scene, a seed, a policy and
// parameters. Parsing is strict: anything unknown is an error with a reason.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "scenes/scene.hpp"

namespace such::ui {

struct Link {
    const scenes::Scene* scene = nullptr;
    scenes::Settings settings;
    // "&step=4": the run opens at that step. "&choices=0,1,1" (manual policy):
    // the tasks the user picked, in settings.replay, replayed to `step`.
    std::uint64_t step = 0;
};

// Accepts the hash with or without its leading '#'. On failure returns false
// and says why in `error`; `out` is then unspecified.
bool parse_link(std::string_view hash, Link& out, std::string& error);
// An address's hash as the browser gives it: "%3F" for '?', "%C3%A4" for 'ä'.
// False with the reason when a '%' is not followed by two hex digits.
bool percent_decode(std::string_view text, std::string& out, std::string& error);
// The canonical hash of a scene and its settings.
std::string make_link(const scenes::Scene& scene, const scenes::Settings& settings);
// The same at a step of a run, with the manual picks that led there: what
// "look at step 4" shares.
std::string make_link_at(const scenes::Scene& scene, const scenes::Settings& settings, std::uint64_t step,
                         const std::vector<engine::TaskId>& choices);

// A user program travels in the address: "#play?code=BASE64URL&seed=7" (the
// UTF-8 text, base64url without padding), or a shipped one: "#play?example=ID".
// Like a scene's, it may say where the run stands: "&step=14&choices=0,1,0".
struct PlayLink {
    std::string text;
    bool has_text = false;  // "#play" and "#play?seed=3" open the text in the editor
    scenes::Settings settings;
    std::uint64_t step = 0;
};
inline constexpr std::size_t kMaxProgramBytes = 64 * 1024;
bool is_play_link(std::string_view hash);
bool parse_play_link(std::string_view hash, PlayLink& out, std::string& error);
std::string make_play_link(std::string_view text, const scenes::Settings& settings, std::uint64_t step = 0,
                           const std::vector<engine::TaskId>& choices = {});
std::string base64url_encode(std::string_view bytes);
// Strict: only A-Z a-z 0-9 - _, no padding; false with the reason otherwise.
bool base64url_decode(std::string_view text, std::string& out, std::string& error);
// A program's text as the editor keeps it: UTF-8, LF line ends, no control
// characters but tabs; false with the reason when it cannot be one.
bool clean_program_text(std::string_view bytes, std::string& out, std::string& error);
using scenes::parse_u64;

}  // namespace such::ui
