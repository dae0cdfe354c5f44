// The shipped example programs: scenes/examples/NN_id.lua, compiled in. Each
// opens with `-- title:`, `-- model:`, `-- verdict:` and `-- finds: bad|nothing`
// lines; tests/scenes/test_programs.cpp checks every verdict with the explorer.
#include <string>
#include <string_view>

#include "scenes/program.hpp"

namespace such::scenes {
namespace {

struct Embedded {
    const char* file;
    const char* text;
};
constexpr Embedded kFiles[] = {
#include "examples_text.inc"
};

std::string header(std::string_view text, std::string_view key) {
    const std::string tag = "-- " + std::string(key) + ":";
    const auto at = text.find(tag);
    if (at == std::string_view::npos) return {};
    const auto start = text.find_first_not_of(' ', at + tag.size());
    const auto end = text.find('\n', start);
    return std::string(text.substr(start, end - start));
}

// The program as the editor shows it: the header lines are the menu's.
std::string without_header(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        const std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end + 1 - start);
        const bool meta = line.rfind("-- title:", 0) == 0 || line.rfind("-- model:", 0) == 0 || line.rfind("-- verdict:", 0) == 0 ||
                          line.rfind("-- finds:", 0) == 0;
        if (!meta) out += line;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

}  // namespace

const std::vector<Example>& examples() {
    static const std::vector<Example> kExamples = [] {
        std::vector<Example> out;
        for (const Embedded& e : kFiles) {
            const std::string_view file = e.file;
            const auto underscore = file.find('_');
            Example x;
            x.id = std::string(file.substr(underscore == std::string_view::npos ? 0 : underscore + 1));
            x.text = e.text;
            x.title = header(x.text, "title");
            x.model = header(x.text, "model");
            x.verdict = header(x.text, "verdict");
            x.goes_wrong = header(x.text, "finds") == "bad";
            x.text = without_header(x.text);
            out.push_back(std::move(x));
        }
        return out;
    }();
    return kExamples;
}

const Example* find_example(std::string_view id) {
    for (const Example& e : examples()) {
        if (e.id == id) return &e;
    }
    return nullptr;
}

}  // namespace such::scenes
