// Puts the figures of bench/results.txt into README.md and bench/README.md
// (see bench/tables.hpp), or checks that they are there.
//   bench_tables --check ROOT   exit 0: every table matches the results file;
//                               1: a README differs (the first difference is printed);
//                               2: a file is missing or malformed
//   bench_tables --write ROOT   rewrites the marked tables of both READMEs
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "bench/tables.hpp"

namespace {

bool read(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

// The first line where two texts differ, both sides, for the message.
void show_difference(const std::string& file, const std::string& have, const std::string& want) {
    std::istringstream a(have), b(want);
    std::string la, lb;
    for (int line = 1;; ++line) {
        const bool more_a = static_cast<bool>(std::getline(a, la));
        const bool more_b = static_cast<bool>(std::getline(b, lb));
        if (!more_a && !more_b) return;
        if (more_a != more_b || la != lb) {
            std::fprintf(stderr, "%s line %d differs from the results file:\n  README:  %s\n  results: %s\n", file.c_str(), line,
                         more_a ? la.c_str() : "(end of file)", more_b ? lb.c_str() : "(end of file)");
            return;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc == 3 ? argv[1] : "";
    if (mode != "--check" && mode != "--write") {
        std::fprintf(stderr, "usage: bench_tables --check|--write ROOT   (ROOT: the repository, with bench/results.txt)\n");
        return 2;
    }
    const std::string root = argv[2];
    std::string results_text, templates_text, error;
    if (!read(root + "/bench/results.txt", results_text) || !read(root + "/bench/tables.md", templates_text)) {
        std::fprintf(stderr, "bench_tables: cannot read %s/bench/results.txt or bench/tables.md\n", root.c_str());
        return 2;
    }
    such::bench::Results results;
    std::vector<such::bench::Template> templates;
    if (!such::bench::parse_results(results_text, results, error)) {
        std::fprintf(stderr, "bench/results.txt %s\n", error.c_str());
        return 2;
    }
    if (!such::bench::parse_templates(templates_text, templates, error)) {
        std::fprintf(stderr, "bench/tables.md %s\n", error.c_str());
        return 2;
    }
    std::set<std::string> used;
    int differing = 0;
    for (const char* name : {"README.md", "bench/README.md"}) {
        const std::string path = root + "/" + name;
        std::string have, want;
        std::vector<std::string> names;
        if (!read(path, have)) {
            std::fprintf(stderr, "bench_tables: cannot read %s\n", path.c_str());
            return 2;
        }
        if (!such::bench::fill_readme(have, templates, results, want, names, error)) {
            std::fprintf(stderr, "%s %s\n", name, error.c_str());
            return 2;
        }
        used.insert(names.begin(), names.end());
        if (have == want) continue;
        if (mode == "--write") {
            std::ofstream(path, std::ios::binary) << want;
            std::printf("rewrote the tables of %s\n", name);
        } else {
            show_difference(name, have, want);
            ++differing;
        }
    }
    for (const auto& t : templates) {
        if (!used.count(t.name)) {
            std::fprintf(stderr, "bench/tables.md line %d: table '%s' is quoted by neither README\n", t.line, t.name.c_str());
            return 2;
        }
    }
    if (differing) {
        std::fprintf(stderr, "run bench/run-all to measure again, or build/native/bench_tables --write . after editing bench/tables.md\n");
        return 1;
    }
    std::printf("%zu tables in the READMEs match bench/results.txt (%zu records, %s)\n", used.size(), results.values.size(),
                results.values.count("run.date") ? results.values.at("run.date").c_str() : "undated");
    return 0;
}
