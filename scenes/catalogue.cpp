// The one ordered list of scenes (explicit, so no static registration is lost
// by the linker), and lookups over it.
#include <algorithm>

#include "scenes/scene.hpp"

namespace such::scenes {

Scene atomicity_race();

const std::vector<Scene>& catalogue() {
    static const std::vector<Scene> kScenes = {
        atomicity_race(),
    };
    return kScenes;
}

Run::Run(const Settings& settings)
    : sched_(engine::Config{settings.seed, settings.policy, 1, settings.replay}) {}

const Scene* find_scene(std::string_view id) {
    for (const Scene& s : catalogue()) {
        if (s.id == id) return &s;
    }
    const Scene* found = nullptr;
    for (const Scene& s : catalogue()) {
        const auto slash = s.id.rfind('/');
        if (slash != std::string::npos && std::string_view(s.id).substr(slash + 1) == id) {
            if (found) return nullptr;  // ambiguous
            found = &s;
        }
    }
    return found;
}

int param_value(const Scene& scene, const Settings& settings, std::string_view id) {
    for (const Param& p : scene.params) {
        if (p.id != id) continue;
        const auto it = settings.params.find(p.id);
        const int v = it == settings.params.end() ? p.initial : it->second;
        return std::clamp(v, p.min, p.max);
    }
    return 0;
}

std::string check_settings(const Scene& scene, const Settings& settings) {
    for (const auto& entry : settings.params) {
        const std::string& id = entry.first;
        const int value = entry.second;
        const auto it = std::find_if(scene.params.begin(), scene.params.end(),
                                     [&](const Param& p) { return p.id == id; });
        if (it == scene.params.end()) return "scene " + scene.id + " has no parameter '" + id + "'";
        if (value < it->min || value > it->max) {
            return "parameter '" + id + "' must be between " + std::to_string(it->min) + " and " +
                   std::to_string(it->max) + " (got " + std::to_string(value) + ")";
        }
    }
    return {};
}

}  // namespace such::scenes
