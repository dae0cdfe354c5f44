// Benchmark: the explorer on the classic programs written as user programs
// (Lua, bench/classic_scripts.hpp) next to the same programs in C++
// (bench/classic.hpp), in the same run: executions (which must be equal),
// executions per second, and the script's rate as a fraction of the C++ one.
// Run: build/native/bench_programs
#include <cstdio>
#include <functional>
#include <string>

#include "bench/classic.hpp"
#include "bench/classic_scripts.hpp"
#include "bench/rates.hpp"
#include "scenes/program.hpp"

namespace {
using namespace such;

engine::ExploreResult run(const std::function<std::unique_ptr<engine::Explorable>()>& make) {
    engine::ExploreOptions o;
    o.max_executions = 2000000;
    o.time_limit_s = 60;
    return engine::explore(make, o);
}

void compare(const char* name, int n, const std::function<std::unique_ptr<engine::Explorable>()>& cpp, const std::string& script) {
    const engine::ExploreResult c = run(cpp);
    const scenes::Scene scene = scenes::program_scene(script);
    const engine::ExploreResult l = run([&] { return scenes::explorable(scene, {}); });
    const double c_rate = static_cast<double>(c.executions) / (c.seconds > 0 ? c.seconds : 1e-9);
    const double l_rate = static_cast<double>(l.executions) / (l.seconds > 0 ? l.seconds : 1e-9);
    std::printf("%-11s %3d %11llu %11llu %9.0f %9.0f %7.2f%s\n", name, n, static_cast<unsigned long long>(c.executions),
                static_cast<unsigned long long>(l.executions), c_rate, l_rate, l_rate / c_rate,
                c.complete && l.complete ? "" : "  (a search stopped at a limit)");
    const std::string key = std::string("programs.") + name + "." + std::to_string(n) + ".";
    bench::record(key + "cpp_executions", static_cast<double>(c.executions));
    bench::record(key + "lua_executions", static_cast<double>(l.executions));
    bench::record(key + "cpp_rate", c_rate);
    bench::record(key + "lua_rate", l_rate);
    bench::record(key + "complete", c.complete && l.complete ? 1 : 0);
}
}  // namespace

int main() {
    using namespace such::classic;
    std::printf("%-11s %3s %11s %11s %9s %9s %7s\n", "program", "N", "C++ execs", "Lua execs", "C++ /s", "Lua /s", "Lua/C++");
    for (int n : {4, 8, 10, 12}) compare("lastzero", n, [n] { return std::make_unique<LastZero>(n); }, lastzero_script(n));
    for (int n : {11, 12}) compare("indexer", n, [n] { return std::make_unique<Indexer>(n); }, indexer_script(n));
    for (int n : {13, 14, 15, 16}) compare("filesystem", n, [n] { return std::make_unique<FileSystem>(n); }, filesystem_script(n));
    return 0;
}
