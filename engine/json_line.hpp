// A strict reader for the JSON our trace files hold: one object per line, of
// whole numbers, strings and lists of them. Errors say the column; a caller
// adds the line.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace such::engine {

// Appends `text` as a JSON string, quotes included (control characters escaped).
inline void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += kHex[(c >> 4) & 0xf];
                out += kHex[c & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

class JsonLine {
public:
    explicit JsonLine(std::string_view s) : s_(s) {}

    // "what (column N)" in `error`; always false, so callers can return it.
    bool fail(std::string& error, const std::string& what) const {
        error = what + " (column " + std::to_string(pos_ + 1) + ")";
        return false;
    }
    void skip_ws() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
    }
    bool eat(char c) {
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    bool at_end() {
        skip_ws();
        return pos_ == s_.size();
    }
    bool read_int(std::int64_t& out) {
        const std::size_t start = pos_;
        if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
        const std::size_t digits = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        if (pos_ == digits || pos_ - digits > 18) return false;
        out = std::stoll(std::string(s_.substr(start, pos_ - start)));
        return true;
    }
    bool read_string(std::string& out) {
        if (!eat('"')) return false;
        while (pos_ < s_.size()) {
            const char c = s_[pos_++];
            if (c == '"') return true;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size()) return false;
            const char esc = s_[pos_++];
            if (esc == 'n') out += '\n';
            else if (esc == 't') out += '\t';
            else if (esc == '"' || esc == '\\' || esc == '/') out += esc;
            else if (esc == 'u' && pos_ + 4 <= s_.size()) {
                int code = 0;
                for (int i = 0; i < 4; ++i) {
                    const char h = s_[pos_++];
                    code = code * 16 + (h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1000);
                }
                if (code < 0 || code > 0x7f) return false;  // we only ever escape control characters
                out += static_cast<char>(code);
            } else {
                return false;
            }
        }
        return false;
    }
    // [a, b, ...] of whole numbers, or of strings.
    bool read_ints(std::vector<std::int64_t>& out) {
        return read_list([&] {
            std::int64_t n = 0;
            if (!read_int(n)) return false;
            out.push_back(n);
            return true;
        });
    }
    bool read_strings(std::vector<std::string>& out) {
        return read_list([&] {
            std::string text;
            if (!read_string(text)) return false;
            out.push_back(std::move(text));
            return true;
        });
    }

    // Marks `key` as seen among `keys` (a bit each); fails on a key that is
    // not one of them or comes twice. `what` names them: "field".
    template <std::size_t N>
    bool claim(const std::string& key, const std::string_view (&keys)[N], unsigned& seen, const char* what, std::string& error) const {
        static_assert(N <= 32);
        std::size_t index = 0;
        while (index < N && keys[index] != key) ++index;
        if (index == N) return fail(error, std::string("unknown ") + what + " \"" + key + "\"");
        if (seen & (1u << index)) return fail(error, std::string(what) + " \"" + key + "\" appears twice");
        seen |= 1u << index;
        return true;
    }

    // Calls `field(key, error)` for each "key": with the reader just past the
    // colon; the callback reads the value. Checks braces and commas.
    template <class Field>
    bool read_object(std::string& error, Field&& field) {
        skip_ws();
        if (!eat('{')) return fail(error, "expected '{'");
        for (bool first = true;; first = false) {
            skip_ws();
            if (eat('}')) break;
            if (!first && !eat(',')) return fail(error, "expected ',' or '}'");
            std::string key;
            skip_ws();
            if (!read_string(key)) return fail(error, "expected a field name in quotes");
            skip_ws();
            if (!eat(':')) return fail(error, "expected ':' after \"" + key + "\"");
            skip_ws();
            if (!field(key, error)) return false;
        }
        if (!at_end()) return fail(error, "unexpected text after the object");
        return true;
    }

private:
    template <class Item>
    bool read_list(Item&& item) {
        if (!eat('[')) return false;
        skip_ws();
        if (eat(']')) return true;
        for (;;) {
            skip_ws();
            if (!item()) return false;
            skip_ws();
            if (eat(']')) return true;
            if (!eat(',')) return false;
        }
    }
    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace such::engine
