#include "bench/tables.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace such::bench {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        lines.push_back(text.substr(at, end == std::string::npos ? std::string::npos : end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return lines;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

bool key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

bool as_number(const std::string& s, double& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && std::isfinite(out);
}

std::string with_separators(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
    std::string s = buf;
    const std::size_t dot = s.find('.');
    std::string whole = s.substr(0, dot), out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
        out += whole[i];
    }
    if (dot != std::string::npos) out += s.substr(dot);
    // No "-0": a value that rounds to zero is written without a sign.
    return (v < 0 && std::stod(s) != 0 ? "-" : "") + out;
}

// The text of one {expression|format}; false with `error` set.
bool placeholder(const std::string& inside, const Results& r, std::string& out, std::string& error) {
    const std::size_t bar = inside.rfind('|');
    const std::string expr = trim(inside.substr(0, bar));
    const std::string format = bar == std::string::npos ? "" : trim(inside.substr(bar + 1));
    std::vector<std::string> tokens;
    for (std::size_t at = 0; at < expr.size();) {
        const std::size_t end = expr.find(' ', at);
        const std::string t = expr.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (!t.empty()) tokens.push_back(t);
        if (end == std::string::npos) break;
        at = end + 1;
    }
    if (tokens.empty() || tokens.size() % 2 == 0) {
        error = "'{" + inside + "}' is not a key, a number, or keys and numbers joined by / * - +";
        return false;
    }
    std::string recorded;  // the value as written, when the expression is one key
    std::string words;     // a value that is not a number, for the message
    auto operand = [&](const std::string& t, double& v) {
        if (as_number(t, v)) return true;
        for (char c : t) {
            if (!key_char(c)) {
                error = "'" + t + "' in '{" + inside + "}' is neither a key (letters, digits, _ and .) nor a number";
                return false;
            }
        }
        const auto it = r.values.find(t);
        if (it == r.values.end()) {
            error = "the results file has no record '" + t + "'";
            return false;
        }
        if (recorded.empty()) recorded = it->second;
        if (!as_number(it->second, v)) {
            v = NAN;
            words = it->second;
        }
        return true;
    };
    double value = 0;
    if (!operand(tokens[0], value)) return false;
    for (std::size_t i = 1; i < tokens.size(); i += 2) {
        double rhs = 0;
        if (!operand(tokens[i + 1], rhs)) return false;
        const std::string& op = tokens[i];
        if (op == "/") {
            value /= rhs;
        } else if (op == "*") {
            value *= rhs;
        } else if (op == "-") {
            value -= rhs;
        } else if (op == "+") {
            value += rhs;
        } else {
            error = "'" + op + "' in '{" + inside + "}' is not one of / * - +";
            return false;
        }
    }
    if (format.empty()) {
        if (tokens.size() > 1) {
            error = "'{" + inside + "}' computes a number and needs a format (e.g. |.2)";
            return false;
        }
        out = recorded.empty() ? tokens[0] : recorded;
        return true;
    }
    if (!std::isfinite(value)) {
        error = "'{" + inside + "}' is not a finite number (" + (words.empty() ? "a division by zero?" : "'" + words + "'") + ")";
        return false;
    }
    if (format == "limit") {
        out = value != 0 ? "" : " (stopped at a limit)";
        return true;
    }
    if (format == "time") {
        char buf[32];
        if (value < 0.001) {
            out = "< 1 ms";
            return true;
        }
        if (value < 1) {
            std::snprintf(buf, sizeof buf, "%.0f ms", value * 1000);
        } else {
            std::snprintf(buf, sizeof buf, "%.1f s", value);
        }
        out = buf;
        return true;
    }
    const bool separators = !format.empty() && format[0] == ',';
    const std::string rest = separators ? format.substr(1) : format;
    int decimals = 0;
    if (!rest.empty()) {
        if (rest.size() != 2 || rest[0] != '.' || rest[1] < '0' || rest[1] > '6') {
            error = "unknown format '" + format + "' in '{" + inside + "}' (use , .N ,.N time limit)";
            return false;
        }
        decimals = rest[1] - '0';
    }
    if (separators) {
        out = with_separators(value, decimals);
    } else {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
        out = buf;
    }
    return true;
}

}  // namespace

bool parse_results(const std::string& text, Results& out, std::string& error) {
    std::map<std::string, int> first_line;
    const auto lines = lines_of(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        if (line.rfind("@ ", 0) != 0) continue;
        const int number = static_cast<int>(i) + 1;
        const std::string rest = line.substr(2);
        const std::size_t space = rest.find(' ');
        const std::string key = rest.substr(0, space);
        const std::string value = space == std::string::npos ? "" : trim(rest.substr(space + 1));
        bool good_key = !key.empty();
        for (char c : key) good_key = good_key && key_char(c);
        if (!good_key || value.empty()) {
            error = "line " + std::to_string(number) + ": a record is '@ key value' (key: letters, digits, _ and .): '" + line.substr(0, 80) + "'";
            return false;
        }
        const auto [it, fresh] = first_line.emplace(key, number);
        if (!fresh) {
            error = "line " + std::to_string(number) + ": '" + key + "' was already recorded on line " + std::to_string(it->second);
            return false;
        }
        out.values[key] = value;
    }
    return true;
}

bool parse_templates(const std::string& text, std::vector<Template>& out, std::string& error) {
    const auto lines = lines_of(text);
    std::set<std::string> names;
    Template* open = nullptr;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string line = trim(lines[i]);
        const int number = static_cast<int>(i) + 1;
        if (line.rfind("<!-- table ", 0) == 0 && line.size() > 15 && line.substr(line.size() - 4) == " -->") {
            if (open) {
                error = "line " + std::to_string(number) + ": table '" + open->name + "' (line " + std::to_string(open->line) + ") is not closed by <!-- end -->";
                return false;
            }
            const std::string name = trim(line.substr(11, line.size() - 15));
            if (!names.insert(name).second) {
                error = "line " + std::to_string(number) + ": a second table named '" + name + "'";
                return false;
            }
            out.push_back({name, "", number});
            open = &out.back();
        } else if (line == "<!-- end -->") {
            if (!open) {
                error = "line " + std::to_string(number) + ": <!-- end --> with no table open";
                return false;
            }
            open = nullptr;
        } else if (open) {
            open->body += lines[i] + "\n";
        }
    }
    if (open) {
        error = "table '" + open->name + "' (line " + std::to_string(open->line) + ") is not closed by <!-- end -->";
        return false;
    }
    return true;
}

bool fill(const Template& t, const Results& r, std::string& out, std::string& error) {
    out.clear();
    int line = t.line + 1;
    const std::string& s = t.body;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\n') ++line;
        if (c == '{' && i + 1 < s.size() && s[i + 1] == '{') {
            out += '{';
            ++i;
            continue;
        }
        if (c != '{') {
            out += c;
            continue;
        }
        const std::size_t close = s.find('}', i);
        const std::size_t newline = s.find('\n', i);
        if (close == std::string::npos || close > newline) {
            error = "bench/tables.md line " + std::to_string(line) + ": '{' with no '}' on its line (write '{{' for a brace)";
            return false;
        }
        std::string text;
        if (!placeholder(s.substr(i + 1, close - i - 1), r, text, error)) {
            error = "bench/tables.md line " + std::to_string(line) + " (table " + t.name + "): " + error;
            return false;
        }
        out += text;
        i = close;
    }
    return true;
}

bool fill_readme(const std::string& readme, const std::vector<Template>& templates, const Results& r, std::string& out,
                 std::vector<std::string>& used, std::string& error) {
    const auto lines = lines_of(readme);
    out.clear();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string line = trim(lines[i]);
        out += lines[i] + "\n";
        if (line.rfind("<!-- bench:", 0) != 0 || line.size() < 15 || line.substr(line.size() - 4) != " -->") continue;
        const std::string name = trim(line.substr(11, line.size() - 15));
        const Template* t = nullptr;
        for (const auto& candidate : templates) {
            if (candidate.name == name) t = &candidate;
        }
        if (!t) {
            error = "line " + std::to_string(i + 1) + ": bench/tables.md has no table '" + name + "'";
            return false;
        }
        std::size_t end = i + 1;
        while (end < lines.size() && trim(lines[end]) != "<!-- /bench -->") {
            if (trim(lines[end]).rfind("<!-- bench:", 0) == 0) end = lines.size();
            else ++end;
        }
        if (end >= lines.size()) {
            error = "line " + std::to_string(i + 1) + ": table '" + name + "' has no <!-- /bench --> before the next mark or the end";
            return false;
        }
        std::string body;
        if (!fill(*t, r, body, error)) return false;
        out += body + lines[end] + "\n";
        used.push_back(name);
        i = end;
    }
    if (!readme.empty() && readme.back() != '\n') out.pop_back();
    return true;
}

}  // namespace such::bench
