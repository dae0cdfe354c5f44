// What every benchmark prints for bench/run-all besides its own table:
// "name per-second-rate" lines that bench_go.sh and its kin put next to their
// peers' (each the best of three runs), and "@ key value" records that
// bench/run-all gathers into bench/results.txt, from which bench_tables
// writes the tables in README.md and bench/README.md.
#pragma once
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace such::bench {

// The middle of `runs` ordered by `key(run)` (of an even count, the upper
// middle): what a benchmark reports when a slowed moment of a shared machine
// must not decide its figure.
template <class T, class Key>
T median(std::vector<T> runs, Key key) {
    std::sort(runs.begin(), runs.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
    return runs[runs.size() / 2];
}

// run() does `count` operations once and returns the seconds it took.
template <class Run>
void print_rate(const char* name, double count, Run run) {
    double best = run();
    for (int i = 0; i < 2; ++i) best = std::min(best, run());
    std::printf("%s %.0f\n", name, count / best);
}

// One figure of the results file: a key (dotted words, no spaces) and a number.
inline void record(const std::string& key, double value) { std::printf("@ %s %.10g\n", key.c_str(), value); }

}  // namespace such::bench
