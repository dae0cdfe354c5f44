// Deep-link parsing and printing: scenes with their settings, and programs
// carried in the address as base64url.
//
// Index
//   (top)                          scene links: the settings both kinds share
//   [SECTION] Programs in links    base64url, the program's text, #play links
#include "ui/deep_link.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "scenes/program.hpp"

namespace such::ui {

namespace {
bool parse_int(std::string_view text, int& out) {
    if (text.empty() || text.size() > 11) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

// seed, cores and policy, shared by scene and program links. Returns false
// with the reason for a bad value; `known` says whether the key was one of them.
bool parse_setting(std::string_view key, std::string_view value, scenes::Settings& settings, bool& known, std::string& error) {
    known = true;
    if (key == "seed") {
        if (!parse_u64(value, settings.seed)) {
            error = "seed must be a non-negative whole number (got '" + scenes::shown(value) + "')";
            return false;
        }
    } else if (key == "cores") {
        std::uint64_t cores = 0;
        if (!parse_u64(value, cores) || cores < 1 || cores > scenes::kMaxCores) {
            error = "cores must be a whole number from 1 to " + std::to_string(scenes::kMaxCores) + " (got '" + scenes::shown(value) + "')";
            return false;
        }
        settings.cores = static_cast<int>(cores);
    } else if (key == "policy") {
        if (!engine::parse_policy(value, settings.policy) || settings.policy == engine::Policy::Replay) {
            error = "policy must be cooperative, preemptive or manual (got '" + scenes::shown(value) + "')";
            return false;
        }
    } else {
        known = false;
    }
    return true;
}

// Calls each(key, value) for the "a=1&b=2" pairs after the '?'; stops at the
// first false. Empty pairs ("a=1&&b=2", a trailing '&') are skipped; a key
// given twice is refused, as no reading of "seed=1&seed=2" is the obvious one.
template <class Each>
bool for_each_pair(std::string_view rest, std::string& error, Each each) {
    std::vector<std::string_view> keys;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
            error = "the link gives '" + scenes::shown(key) + "' twice";
            return false;
        }
        keys.push_back(key);
        if (!each(key, eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1))) return false;
    }
    return true;
}
}  // namespace

bool percent_decode(std::string_view text, std::string& out, std::string& error) {
    const auto hex = [](char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    };
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const int hi = i + 1 < text.size() ? hex(text[i + 1]) : -1;
        const int lo = i + 2 < text.size() ? hex(text[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            error = "the link has a '%' that is not followed by two hex digits ('" + scenes::shown(text.substr(i, 3)) +
                    "' at character " + std::to_string(i + 1) + ")";
            return false;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

namespace {
// "0,1,1,0" (or "0,1x2,0"): task numbers, as `such run --replay` takes them; none: an empty list.
bool parse_choices(std::string_view text, std::vector<engine::TaskId>& out, std::string& error) {
    std::vector<std::uint64_t> tasks;
    if (!text.empty() && !scenes::parse_list(text, 1000, tasks)) {
        error = "choices must be task numbers separated by commas, a run of one as NxCOUNT (got '" + scenes::shown(text) + "')";
        return false;
    }
    out.assign(tasks.begin(), tasks.end());
    return true;
}

// Where a run stands: "step", and the manual picks that led there ("choices",
// tasks; "selects", a select's cases). known: the key is one of these.
bool parse_position(std::string_view key, std::string_view value, scenes::Settings& settings, std::uint64_t& step, bool& known,
                    std::string& error) {
    known = true;
    if (key == "step") {
        if (!parse_u64(value, step) || step > 1000000) {
            error = "step must be a whole number up to 1,000,000 (got '" + scenes::shown(value) + "')";
            return false;
        }
        return true;
    }
    if (key == "choices") return parse_choices(value, settings.replay, error);
    if (key == "selects") {
        if (scenes::parse_list(value, 1000, settings.picks)) return true;
        error = "selects must be case numbers separated by commas (got '" + scenes::shown(value) + "')";
        return false;
    }
    known = false;
    return true;
}

// The picks are a manual run's: each must be a task that can step then.
bool check_position(const scenes::Scene& scene, const scenes::Settings& settings, std::string& error) {
    if (settings.replay.empty()) return true;
    if (settings.policy != engine::Policy::Manual) {
        error = "choices are the picks of a manual run (add policy=manual)";
        return false;
    }
    scenes::Settings replay = settings;
    replay.policy = engine::Policy::Replay;
    error = scenes::check_replay(scene, replay);
    if (error.empty()) return true;
    error = "the link's choices do not replay: " + error;
    return false;
}

// "&step=4&choices=0,1&selects=2": what parse_position reads back.
std::string position_query(const scenes::Settings& settings, std::uint64_t step, const std::vector<engine::TaskId>& choices) {
    std::string query;
    if (step > 0) query += "&step=" + std::to_string(step);
    if (!choices.empty()) query += "&choices=" + scenes::list_text(choices);
    if (!settings.picks.empty()) query += "&selects=" + scenes::list_text(settings.picks);
    return query;
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
        error = "no scene called '" + scenes::shown(id) + "'";
        return false;
    }
    out.settings = {};
    out.step = 0;
    const std::string_view rest = q == std::string_view::npos ? std::string_view{} : hash.substr(q + 1);
    const bool ok = for_each_pair(rest, error, [&](std::string_view key, std::string_view value) {
        bool known = false;
        if (!parse_setting(key, value, out.settings, known, error)) return false;
        if (known) return true;
        if (!parse_position(key, value, out.settings, out.step, known, error)) return false;
        if (known) return true;
        int v = 0;
        if (!parse_int(value, v)) {
            error = "parameter '" + scenes::shown(key) + "' needs a whole number (got '" + scenes::shown(value) + "')";
            return false;
        }
        out.settings.params[std::string(key)] = v;
        return true;
    });
    if (!ok) return false;
    error = scenes::check_settings(*out.scene, out.settings);
    if (!error.empty()) return false;
    return check_position(*out.scene, out.settings, error);
}

namespace {
// "seed=7", then the policy and cores where they are not the defaults.
std::string settings_query(const scenes::Settings& settings) {
    std::string query = "seed=" + std::to_string(settings.seed);
    if (settings.policy != engine::Policy::Preemptive && settings.policy != engine::Policy::Replay) {
        query += "&policy=" + std::string(engine::to_string(settings.policy));
    }
    if (settings.cores != 1) query += "&cores=" + std::to_string(settings.cores);
    return query;
}
}  // namespace

std::string make_link(const scenes::Scene& scene, const scenes::Settings& settings) {
    std::string link = "#" + scene.id + "?" + settings_query(settings);
    for (const auto& p : scene.params) link += "&" + p.id + "=" + std::to_string(scenes::param_value(scene, settings, p.id));
    return link;
}

std::string make_link_at(const scenes::Scene& scene, const scenes::Settings& settings, std::uint64_t step,
                         const std::vector<engine::TaskId>& choices) {
    return make_link(scene, settings) + position_query(settings, step, choices);
}

// [SECTION] Programs in links
namespace {
constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) {
    const auto at = kBase64Url.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}
}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::uint32_t acc = 0;
    int bits = 0;
    for (const char c : bytes) {
        acc = (acc << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kBase64Url[(acc >> bits) & 0x3F];
        }
    }
    if (bits > 0) out += kBase64Url[(acc << (6 - bits)) & 0x3F];
    return out;
}

bool base64url_decode(std::string_view text, std::string& out, std::string& error) {
    if (text.size() % 4 == 1) {
        error = "the code is cut short (" + std::to_string(text.size()) + " characters cannot be base64url)";
        return false;
    }
    out.clear();
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const int v = base64url_value(text[i]);
        if (v < 0) {
            const std::size_t n = std::max<std::size_t>(1, scenes::utf8_length(text, i));
            error = "the code is not base64url: '" + scenes::shown(text.substr(i, n)) + "' at character " + std::to_string(i + 1) +
                    " (only A-Z, a-z, 0-9, - and _, no padding)";
            return false;
        }
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return true;
}

bool clean_program_text(std::string_view bytes, std::string& out, std::string& error) {
    if (bytes.size() > kMaxProgramBytes) {
        error = "the program is too long (" + scenes::grouped(static_cast<long>(bytes.size())) + " bytes; at most " +
                scenes::grouped(static_cast<long>(kMaxProgramBytes)) + ")";
        return false;
    }
    out.clear();
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t n = scenes::utf8_length(bytes, i);
        if (n == 0) {
            error = "the program is not UTF-8 text (byte " + std::to_string(i + 1) + ")";
            return false;
        }
        const char c = bytes[i];
        if (n == 1 && c == '\0') {
            error = "the program contains a NUL byte";
            return false;
        }
        // CR LF and lone CR become LF; other control characters but tabs are dropped.
        if (c == '\r') {
            if (i + 1 >= bytes.size() || bytes[i + 1] != '\n') out += '\n';
        } else if (n > 1 || static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') {
            out.append(bytes.substr(i, n));
        }
        i += n;
    }
    return true;
}

bool is_play_link(std::string_view hash) {
    if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
    return hash == "play" || hash.starts_with("play?");
}

bool parse_play_link(std::string_view hash, PlayLink& out, std::string& error) {
    if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
    const auto q = hash.find('?');
    if (hash.substr(0, q) != "play") {
        error = "not a program link";
        return false;
    }
    out = {};
    const std::string_view rest = q == std::string_view::npos ? std::string_view{} : hash.substr(q + 1);
    const bool ok = for_each_pair(rest, error, [&](std::string_view key, std::string_view value) {
        bool known = false;
        if (!parse_setting(key, value, out.settings, known, error)) return false;
        if (known) return true;
        if (!parse_position(key, value, out.settings, out.step, known, error)) return false;
        if (known) return true;
        if (key == "code") {
            // Over-long codes are refused before decoding: 4 characters carry 3 bytes.
            if (value.size() > (kMaxProgramBytes + 2) / 3 * 4) {
                error = "the program in the link is too long (" + scenes::grouped(static_cast<long>(value.size())) +
                        " characters of code; at most " + scenes::grouped(static_cast<long>(kMaxProgramBytes)) + " bytes of text)";
                return false;
            }
            std::string bytes;
            if (!base64url_decode(value, bytes, error) || !clean_program_text(bytes, out.text, error)) return false;
        } else if (key == "example") {
            const scenes::Example* example = scenes::find_example(value);
            if (!example) {
                error = "no example called '" + scenes::shown(value) + "'";
                return false;
            }
            out.text = example->text;
        } else {
            error = "a program link takes code, example, seed, policy, cores, step, choices and selects (got '" + scenes::shown(key) + "')";
            return false;
        }
        out.has_text = true;
        return true;
    });
    if (!ok) return false;
    if ((out.step > 0 || !out.settings.replay.empty() || !out.settings.picks.empty()) && !out.has_text) {
        error = "a step or choices need the program (code or example)";
        return false;
    }
    if (out.settings.replay.empty()) return true;
    // The picks replay on the program's own scene (one that does not compile replays none).
    return check_position(scenes::program_scene(out.text), out.settings, error);
}

std::string make_play_link(std::string_view text, const scenes::Settings& settings, std::uint64_t step, const std::vector<engine::TaskId>& choices) {
    return "#play?code=" + base64url_encode(text) + "&" + settings_query(settings) + position_query(settings, step, choices);
}

}  // namespace such::ui
