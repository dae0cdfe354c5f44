// Deep-link parsing and printing.
#include "ui/deep_link.hpp"

#include <charconv>

namespace such::ui {

namespace {
bool parse_int(std::string_view text, int& out) {
    if (text.empty() || text.size() > 11) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}
}  // namespace

bool parse_link(std::string_view hash, Link& out, std::string& error) {
    if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
    const auto q = hash.find('?');
    const std::string_view id = hash.substr(0, q);
    if (id.empty()) {
        error = "the link names no scene";
        return false;
    }
    out.scene = scenes::find_scene(id);
    if (!out.scene) {
        error = "no scene called '" + std::string(id) + "'";
        return false;
    }
    out.settings = {};
    std::string_view rest = q == std::string_view::npos ? std::string_view{} : hash.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        const auto eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (key == "seed") {
            if (!parse_u64(value, out.settings.seed)) {
                error = "seed must be a non-negative whole number (got '" + std::string(value) + "')";
                return false;
            }
        } else if (key == "cores") {
            std::uint64_t cores = 0;
            if (!parse_u64(value, cores) || cores < 1 || cores > 8) {
                error = "cores must be a whole number from 1 to 8 (got '" + std::string(value) + "')";
                return false;
            }
            out.settings.cores = static_cast<int>(cores);
        } else if (key == "policy") {
            if (!engine::parse_policy(value, out.settings.policy) || out.settings.policy == engine::Policy::Replay) {
                error = "policy must be cooperative, preemptive or manual (got '" + std::string(value) + "')";
                return false;
            }
        } else {
            int v = 0;
            if (!parse_int(value, v)) {
                error = "parameter '" + std::string(key) + "' needs a whole number (got '" + std::string(value) + "')";
                return false;
            }
            out.settings.params[std::string(key)] = v;
        }
    }
    error = scenes::check_settings(*out.scene, out.settings);
    return error.empty();
}

std::string make_link(const scenes::Scene& scene, const scenes::Settings& settings) {
    std::string link = "#" + scene.id + "?seed=" + std::to_string(settings.seed);
    if (settings.policy != engine::Policy::Preemptive && settings.policy != engine::Policy::Replay) {
        link += "&policy=" + std::string(engine::to_string(settings.policy));
    }
    if (settings.cores != 1) link += "&cores=" + std::to_string(settings.cores);
    for (const auto& p : scene.params) link += "&" + p.id + "=" + std::to_string(scenes::param_value(scene, settings, p.id));
    return link;
}

}  // namespace such::ui
