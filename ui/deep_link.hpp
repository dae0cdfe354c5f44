// Deep links: "#race?seed=7&mutex=1" names a scene, a seed, a policy and
// parameters. Parsing is strict: anything unknown is an error with a reason.
#pragma once
#include <string>
#include <string_view>

#include "scenes/scene.hpp"

namespace such::ui {

struct Link {
    const scenes::Scene* scene = nullptr;
    scenes::Settings settings;
};

// Accepts the hash with or without its leading '#'. On failure returns false
// and says why in `error`; `out` is then unspecified.
bool parse_link(std::string_view hash, Link& out, std::string& error);
// The canonical hash of a scene and its settings.
std::string make_link(const scenes::Scene& scene, const scenes::Settings& settings);
using scenes::parse_u64;

}  // namespace such::ui
