// The ordering puzzles run in node (Debian's nodejs) and on our loop: the
// printed orders agree wherever node promises an order, and where it does
// not (a timeout of 0 against an immediate, from the main script) both are
// one of the two allowed orders.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "scenes/loop_programs.hpp"
#include "scenes/scene.hpp"

using namespace such;

namespace {
std::vector<std::string> run_node(const std::string& js) {
    char path[] = "/tmp/such_puzzle_XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    {
        std::ofstream f(path);
        f << js;
    }
    const std::string cmd = "node " + std::string(path) + " 2>&1";
    std::vector<std::string> lines;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) {
        std::string line = buf;
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        lines.push_back(line);
    }
    pclose(p);
    std::remove(path);
    return lines;
}

std::vector<std::string> run_ours(int puzzle) {
    scenes::Settings s;
    s.params["puzzle"] = puzzle;
    auto run = scenes::find_scene("loop/ordering")->build(s);
    run->sched().run(100000);
    REQUIRE(run->sched().verdict() == engine::Verdict::Finished);
    for (std::size_t i = 0; i < run->rt().object_count(); ++i) {
        const auto& o = run->rt().object(static_cast<engine::ObjectId>(i));
        if (o.kind() == engine::ObjectKind::Loop) return static_cast<const engine::EventLoop&>(o).output();
    }
    FAIL("no loop");
    return {};
}

// Swaps a and b in `lines` (for the one pair node leaves free).
std::vector<std::string> swapped(std::vector<std::string> lines, const std::string& a, const std::string& b) {
    const auto ia = std::find(lines.begin(), lines.end(), a), ib = std::find(lines.begin(), lines.end(), b);
    if (ia != lines.end() && ib != lines.end()) std::iter_swap(ia, ib);
    return lines;
}
}  // namespace

TEST_CASE("the ordering puzzles print the same order in node as on our loop, wherever node promises one") {
    if (std::system("node --version > /dev/null 2>&1") != 0) {
        FAIL("node is not installed (./such test installs nodejs)");
        return;
    }
    const auto& all = scenes::loop::puzzles();
    for (std::size_t i = 0; i < all.size(); ++i) {
        const scenes::loop::Puzzle& p = all[i];
        CAPTURE(p.title);
        const std::vector<std::string> ours = run_ours(static_cast<int>(i));
        const std::string js = scenes::loop::to_js(p.main);
        CAPTURE(js);
        const std::vector<std::string> node = run_node(js);
        if (p.free_a.empty()) {
            CHECK(node == ours);
        } else {
            // Node may run either first; ours runs one of the two.
            CHECK((node == ours || node == swapped(ours, p.free_a, p.free_b)));
        }
    }
}
