// Benchmark: the explorer on the counter scene, N threads x M increments, with
// no reduction, sleep sets, and DPOR (wakeup trees): executions explored and
// executions per second. Run: build/native/bench_explore
#include <cstdio>

#include <string>

#include "bench/rates.hpp"
#include "scenes/scene.hpp"

int main() {
    using such::engine::ExploreOptions;
    const auto* scene = such::scenes::find_scene("threads/counter");
    std::printf("%-22s %-12s %12s %10s %10s %12s\n", "program", "reduction", "executions", "cut short", "seconds", "runs/s");
    const struct {
        int threads, m;
    } sizes[] = {{2, 1}, {2, 2}, {2, 3}, {3, 1}, {3, 2}, {4, 1}};
    for (const auto& size : sizes) {
        for (auto r : {ExploreOptions::Reduction::None, ExploreOptions::Reduction::SleepSets, ExploreOptions::Reduction::Dpor}) {
            such::scenes::Settings s;
            s.params = {{"threads", size.threads}, {"m", size.m}, {"sync", 0}};
            ExploreOptions o;
            o.reduction = r;
            o.max_executions = 2000000;
            o.time_limit_s = 60;
            const auto res = such::scenes::explore_scene(*scene, s, o);
            const char* name = r == ExploreOptions::Reduction::None ? "none" : r == ExploreOptions::Reduction::SleepSets ? "sleep sets" : "DPOR";
            char program[64];
            std::snprintf(program, sizeof program, "counter %d x %d%s", size.threads, size.m, res.complete ? "" : " (cut)");
            std::printf("%-22s %-12s %12llu %10llu %10.3f %12.0f\n", program, name, static_cast<unsigned long long>(res.executions),
                        static_cast<unsigned long long>(res.pruned), res.seconds,
                        static_cast<double>(res.executions + res.pruned) / (res.seconds > 0 ? res.seconds : 1e-9));
            const std::string key = "explore." + std::to_string(size.threads) + "x" + std::to_string(size.m) + "." +
                                    (r == ExploreOptions::Reduction::None ? "none" : r == ExploreOptions::Reduction::SleepSets ? "sleep" : "dpor") + ".";
            such::bench::record(key + "executions", static_cast<double>(res.executions));
            such::bench::record(key + "cut", static_cast<double>(res.pruned));
            such::bench::record(key + "seconds", res.seconds);
            such::bench::record(key + "complete", res.complete ? 1 : 0);
        }
    }
    return 0;
}
