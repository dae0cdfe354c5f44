// The table maker of bench/run-all's results (bench/tables.hpp): records,
// placeholders and formats, README marks, and the messages for bad files.
// Expected texts are worked out by hand from the inputs written here.
#include <doctest/doctest.h>

#include "bench/tables.hpp"

using namespace such::bench;

namespace {
Results results(const std::string& text) {
    Results r;
    std::string error;
    REQUIRE_MESSAGE(parse_results(text, r, error), error);
    return r;
}

std::string filled(const std::string& body, const Results& r) {
    std::string out, error;
    REQUIRE_MESSAGE(fill(Template{"t", body, 1}, r, out, error), error);
    return out;
}

std::string fill_error(const std::string& body, const Results& r) {
    std::string out, error;
    CHECK_FALSE(fill(Template{"t", body, 1}, r, out, error));
    return error;
}
}  // namespace

TEST_CASE("results: records are '@ key value' lines among a benchmark's own output") {
    const Results r = results("$ build/native/bench_stm\nsome table\n@ stm.4.2.stm 2.9166\n@ hunt.x.found_by random priorities (PCT)\n");
    CHECK(r.values.size() == 2);
    CHECK(r.values.at("stm.4.2.stm") == "2.9166");  // kept as written in the line above, not reformatted
    CHECK(r.values.at("hunt.x.found_by") == "random priorities (PCT)");

    Results bad;
    std::string error;
    CHECK_FALSE(parse_results("@ a 1\n\n@ a 2\n", bad, error));
    CHECK(error == "line 3: 'a' was already recorded on line 1");
    CHECK_FALSE(parse_results("@ a\n", bad, error));
    CHECK(error.rfind("line 1: a record is '@ key value'", 0) == 0);
    CHECK_FALSE(parse_results("@ a-b 1\n", bad, error));
    CHECK(error.rfind("line 1: a record is", 0) == 0);
}

TEST_CASE("fill: keys, arithmetic left to right, and every format") {
    const Results r = results("@ a 1234567.891\n@ b 2\n@ t1 0.0004\n@ t2 0.0283\n@ t3 5.94\n@ done 1\n@ cut 0\n@ name PCT\n@ neg -0.001\n");
    // Each expected text is the recorded value above, formatted by hand.
    CHECK(filled("x {a} y\n", r) == "x 1234567.891 y\n");  // no format: as recorded
    CHECK(filled("{a|,}\n", r) == "1,234,568\n");  // .891 rounds up; a comma every three digits
    CHECK(filled("{a|.2}\n", r) == "1234567.89\n");  // .891 to two decimals
    CHECK(filled("{a|,.1}\n", r) == "1,234,567.9\n");  // .891 to one decimal, with commas
    CHECK(filled("{a / b|,}\n", r) == "617,284\n");      // 1234567.891 / 2 = 617283.9455
    CHECK(filled("{a / 1e6 * b|.2}\n", r) == "2.47\n");  // left to right: (1.234567891) * 2
    CHECK(filled("{b - 0.5|.1} {b + 1|.0}\n", r) == "1.5 3\n");
    // time: under 1 ms says so; 0.0283 s is 28.3 ms, shown whole; 5.94 s to one decimal.
    CHECK(filled("{t1|time}, {t2|time}, {t3|time}\n", r) == "< 1 ms, 28 ms, 5.9 s\n");
    CHECK(filled("n{done|limit}, n{cut|limit}\n", r) == "n, n (stopped at a limit)\n");
    CHECK(filled("{name}\n", r) == "PCT\n");
    // -0.001 to two decimals: printf's "-0.00"; the separators form drops the sign of a zero.
    CHECK(filled("{neg|.2}, {neg|,.2}\n", r) == "-0.00, 0.00\n");
    CHECK(filled("atomically {{ read; write }\n", r) == "atomically { read; write }\n");
}

TEST_CASE("fill: a missing record, a bad format or expression is an error naming the line") {
    const Results r = results("@ a 10\n@ zero 0\n@ name PCT\n");
    CHECK(fill_error("ok\n{nope|,}\n", r) == "bench/tables.md line 3 (table t): the results file has no record 'nope'");
    CHECK(fill_error("{a|%}\n", r) == "bench/tables.md line 2 (table t): unknown format '%' in '{a|%}' (use , .N ,.N time limit)");
    CHECK(fill_error("{a / zero|.1}\n", r).find("is not a finite number (a division by zero?)") != std::string::npos);
    CHECK(fill_error("{name|.1}\n", r).find("is not a finite number ('PCT')") != std::string::npos);
    CHECK(fill_error("{a / a}\n", r).find("needs a format") != std::string::npos);
    CHECK(fill_error("{a ^ a|.1}\n", r).find("'^' in '{a ^ a|.1}' is not one of / * - +") != std::string::npos);
    CHECK(fill_error("{a /|.1}\n", r).find("is not a key, a number") != std::string::npos);
    CHECK(fill_error("{a\n}\n", r) == "bench/tables.md line 2: '{' with no '}' on its line (write '{{' for a brace)");
}

TEST_CASE("templates and README marks: a table replaces what its marks enclose") {
    std::vector<Template> ts;
    std::string error;
    REQUIRE(parse_templates("intro\n<!-- table one -->\n| x | {a|,} |\n<!-- end -->\n", ts, error));
    REQUIRE(ts.size() == 1);
    CHECK(ts[0].name == "one");
    CHECK(ts[0].body == "| x | {a|,} |\n");
    const Results r = results("@ a 1000\n");

    std::string out;
    std::vector<std::string> used;
    // The marks stay, the stale lines between them go, the table's text (1000 with a comma) comes in.
    REQUIRE(fill_readme("# R\n<!-- bench: one -->\n| x | 999 |\nstale\n<!-- /bench -->\nafter\n", ts, r, out, used, error));
    CHECK(out == "# R\n<!-- bench: one -->\n| x | 1,000 |\n<!-- /bench -->\nafter\n");
    CHECK(used == std::vector<std::string>{"one"});

    CHECK_FALSE(fill_readme("<!-- bench: two -->\n<!-- /bench -->\n", ts, r, out, used, error));
    CHECK(error == "line 1: bench/tables.md has no table 'two'");
    CHECK_FALSE(fill_readme("<!-- bench: one -->\nno end\n", ts, r, out, used, error));
    CHECK(error == "line 1: table 'one' has no <!-- /bench --> before the next mark or the end");

    std::vector<Template> bad;
    CHECK_FALSE(parse_templates("<!-- table a -->\n<!-- table b -->\n", bad, error));
    CHECK(error == "line 2: table 'a' (line 1) is not closed by <!-- end -->");
    bad.clear();
    CHECK_FALSE(parse_templates("<!-- table a -->\n<!-- end -->\n<!-- table a -->\n<!-- end -->\n", bad, error));
    CHECK(error == "line 3: a second table named 'a'");
}
