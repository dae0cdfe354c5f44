// The tables the READMEs quote, made from one measurement: bench/run-all
// writes bench/results.txt ("@ key value" records among each benchmark's own
// output), bench/tables.md holds the tables with placeholders such as
// {stm.4.2.stm|.2} or {go.pingpong_unbuffered.such / go.pingpong_unbuffered.peer|.2},
// and each README marks where a table goes:
//     <!-- bench: NAME -->
//     ... (written by bench_tables; edit bench/tables.md instead)
//     <!-- /bench -->
// `bench_tables --write` fills the marks; `bench_tables --check` (a CTest
// suite) fails when a README differs from what the results file gives.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace such::bench {

// The records of a results file, by key. Values are kept as written: a
// number, or words (a strategy's name, a date).
struct Results {
    std::map<std::string, std::string> values;
};

// Parses a results file; lines that do not start with "@ " are the benchmarks'
// own output and are skipped. A malformed record or a key given twice is an
// error naming its line. Returns false with `error` set.
bool parse_results(const std::string& text, Results& out, std::string& error);

// The named blocks of bench/tables.md ("<!-- table NAME -->" ... "<!-- end -->"),
// in file order.
struct Template {
    std::string name;
    std::string body;  // the lines between the marks, each ending in '\n'
    int line = 0;      // where the block starts in the file, for messages
};
bool parse_templates(const std::string& text, std::vector<Template>& out, std::string& error);

// A template with every {expression|format} replaced. An expression is a key
// or a number, optionally combined left to right with '/', '*', '-' or '+'.
// Formats: none (the value as recorded), "," (an integer with thousands
// separators), ".N" (N decimals), ",.N" (N decimals with separators), "time"
// (seconds as "< 1 ms", "28 ms" or "5.9 s"), "limit" (1: nothing, 0:
// " (stopped at a limit)"). An unknown key or format is an error naming the
// template's line.
bool fill(const Template& t, const Results& r, std::string& out, std::string& error);

// Replaces each marked region of a README with its filled template. Marks
// naming no template, or left open, are errors. `used` collects the names.
bool fill_readme(const std::string& readme, const std::vector<Template>& templates, const Results& r, std::string& out,
                 std::vector<std::string>& used, std::string& error);

}  // namespace such::bench
