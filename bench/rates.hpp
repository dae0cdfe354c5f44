// The lines bench_go.sh and bench_erlang.sh put next to their peers'
// ("name per-second-rate"), each from the best of three runs.
#pragma once
#include <algorithm>
#include <cstdio>

namespace such::bench {

// run() does `count` operations once and returns the seconds it took.
template <class Run>
void print_rate(const char* name, double count, Run run) {
    double best = run();
    for (int i = 0; i < 2; ++i) best = std::min(best, run());
    std::printf("%s %.0f\n", name, count / best);
}

}  // namespace such::bench
