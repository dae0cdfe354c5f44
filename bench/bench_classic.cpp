// Benchmark: the explorer (optimal DPOR: wakeup trees + sleep sets) on the
// classic programs at growing sizes: executions (= Mazurkiewicz traces), runs
// cut short (none, with wakeup trees), time.
// Run: build/native/bench_classic
#include <cstdio>
#include <functional>
#include <string>

#include "bench/classic.hpp"
#include "bench/rates.hpp"

namespace {
void measure(const char* name, int n, const std::function<std::unique_ptr<such::engine::Explorable>()>& make) {
    such::engine::ExploreOptions o;
    o.max_executions = 5000000;
    o.time_limit_s = 60;
    const auto r = such::engine::explore(make, o);
    std::printf("%-12s %3d %12llu %10llu %10.3f %12.0f%s\n", name, n, static_cast<unsigned long long>(r.executions),
                static_cast<unsigned long long>(r.pruned), r.seconds,
                static_cast<double>(r.executions + r.pruned) / (r.seconds > 0 ? r.seconds : 1e-9),
                r.complete ? "" : "  (stopped at a limit)");
    const std::string key = std::string("classic.") + name + "." + std::to_string(n) + ".";
    such::bench::record(key + "executions", static_cast<double>(r.executions));
    such::bench::record(key + "cut", static_cast<double>(r.pruned));
    such::bench::record(key + "seconds", r.seconds);
    such::bench::record(key + "complete", r.complete ? 1 : 0);
}
}  // namespace

int main() {
    using namespace such::classic;
    std::printf("%-12s %3s %12s %10s %10s %12s\n", "program", "N", "executions", "cut short", "seconds", "runs/s");
    for (int n = 2; n <= 15; ++n) measure("lastzero", n, [n] { return std::make_unique<LastZero>(n); });
    for (int n = 10; n <= 15; ++n) measure("indexer", n, [n] { return std::make_unique<Indexer>(n); });
    for (int n = 11; n <= 14; ++n) measure("indexer_lock", n, [n] { return std::make_unique<Indexer>(n, true); });
    for (int n = 13; n <= 18; ++n) measure("filesystem", n, [n] { return std::make_unique<FileSystem>(n); });
    return 0;
}
