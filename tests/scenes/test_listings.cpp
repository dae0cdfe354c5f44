// Listings that are the program: every scene runs at its defaults, at each
// parameter's ends, at each choice of a selector and at each choice with each
// other parameter's ends, over many seeds, both policies and one to three
// cores; every step must stand on lines of a listing
// (Ctx::place), and every listed line must be run by some step -- but the
// lines a listing says never run, which no step may run. The shipped example
// programs get a rule of their own: their listing is Lua source, and most of
// its lines take no step.
//
// Index
//   [SECTION] Helpers
//   [SECTION] Scenes
//   [SECTION] Example programs
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scenes/program.hpp"
#include "scenes/scene.hpp"

using namespace such;

namespace {

// [SECTION] Helpers

using Params = std::map<std::string, int>;

// The values a parameter is checked at: its ends, or each choice of a selector.
std::vector<int> values_of(const scenes::Param& p) {
    if (p.choices.empty()) return {p.min, p.max};
    std::vector<int> out;
    for (int v = p.min; v <= p.max; ++v) out.push_back(v);
    return out;
}

Params defaults(const scenes::Scene& scene) {
    Params out;
    for (const scenes::Param& p : scene.params) out[p.id] = p.initial;
    return out;
}

// The settings a scene is checked at, each once: its defaults; each parameter
// at each of its values; and each choice of a selector with each other
// parameter at each of its values (a selector picks the program, and the
// other parameters may matter in one program only).
std::vector<Params> settings_to_check(const scenes::Scene& scene) {
    std::set<Params> seen;
    std::vector<Params> out;
    const auto add = [&](Params p) {
        if (seen.insert(p).second) out.push_back(std::move(p));
    };
    add(defaults(scene));
    for (const scenes::Param& p : scene.params) {
        for (int v : values_of(p)) {
            Params s = defaults(scene);
            s[p.id] = v;
            add(s);
            if (p.choices.empty()) continue;
            for (const scenes::Param& q : scene.params) {
                if (&q == &p) continue;
                for (int w : values_of(q)) {
                    Params t = s;
                    t[q.id] = w;
                    add(t);
                }
            }
        }
    }
    return out;
}

// The same count by another road: of every combination of the parameters'
// values (and defaults), those that leave all but one parameter at its
// default, or all but a selector and one other.
std::size_t settings_count(const scenes::Scene& scene) {
    std::vector<std::vector<int>> axes;
    for (const scenes::Param& p : scene.params) {
        axes.push_back(values_of(p));
        if (std::find(axes.back().begin(), axes.back().end(), p.initial) == axes.back().end()) axes.back().push_back(p.initial);
    }
    std::size_t count = 0;
    std::vector<std::size_t> at(axes.size(), 0);
    for (;;) {
        std::size_t changed = 0, selectors = 0;
        for (std::size_t i = 0; i < axes.size(); ++i) {
            const bool moved = axes[i][at[i]] != scene.params[i].initial;
            changed += moved;
            selectors += moved && !scene.params[i].choices.empty();
        }
        count += changed <= 1 || (changed == 2 && selectors >= 1);
        std::size_t i = 0;
        while (i < axes.size() && ++at[i] == axes[i].size()) at[i++] = 0;
        if (i == axes.size()) break;
    }
    return count;
}

std::string described(const scenes::Scene& scene, const Params& params) {
    std::string out;
    for (const scenes::Param& p : scene.params) {
        if (params.at(p.id) != p.initial) out += (out.empty() ? "" : ", ") + p.id + " = " + std::to_string(params.at(p.id));
    }
    return out.empty() ? "defaults" : out;
}

// Which lines of which listings the steps of the runs so far ran, and the
// first step that stood outside its listing.
struct Coverage {
    std::vector<scenes::Listing> listings;
    std::vector<std::vector<bool>> reached;  // by listing, by line
    std::vector<std::vector<int>> stood;     // the same: 0 no step stood there, 1 only a task's last step, 2 another
    std::string stray;
    std::size_t runs = 0, steps = 0;

    bool never(std::size_t l, std::size_t line) const {
        const auto& n = listings[l].never;
        return std::find(n.begin(), n.end(), static_cast<int>(line)) != n.end();
    }
    // The lines that must be run, and those of them that were.
    std::size_t lines() const {
        std::size_t n = 0;
        for (std::size_t l = 0; l < listings.size(); ++l) n += listings[l].lines.size() - listings[l].never.size();
        return n;
    }
    std::size_t lines_reached() const {
        std::size_t n = 0;
        for (std::size_t l = 0; l < listings.size(); ++l) {
            for (std::size_t i = 0; i < reached[l].size(); ++i) n += reached[l][i] && !never(l, i);
        }
        return n;
    }
    bool complete() const { return lines_reached() == lines(); }
    std::string unreached() const {
        std::string out;
        for (std::size_t l = 0; l < listings.size(); ++l) {
            for (std::size_t i = 0; i < reached[l].size(); ++i) {
                if (!reached[l][i] && !never(l, i)) out += "\n  \"" + listings[l].title + "\" line " + std::to_string(i) + ": " + listings[l].lines[i];
            }
        }
        return out;
    }
};

bool same_lines(const std::vector<scenes::Listing>& a, const std::vector<scenes::Listing>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].lines != b[i].lines) return false;
    }
    return true;
}

// Adds one run's steps to the coverage. `where` names the run in messages.
void take(const scenes::Run& run, Coverage& c, const std::string& where) {
    if (c.runs++ == 0) {
        c.listings = run.listings();
        for (const auto& l : c.listings) c.reached.emplace_back(l.lines.size(), false);
        for (const auto& l : c.listings) c.stood.emplace_back(l.lines.size(), 0);
        for (const auto& l : c.listings) {
            for (int n : l.never) {
                if (n < 0 || static_cast<std::size_t>(n) >= l.lines.size()) c.stray = where + ": \"" + l.title + "\" says line " + std::to_string(n) + " never runs, and has no such line";
            }
        }
    } else if (!same_lines(c.listings, run.listings())) {
        if (c.stray.empty()) c.stray = where + ": the listings change with the seed, policy or cores";
        return;
    }
    const engine::Scheduler& sched = run.sched();
    const auto& choices = sched.choices();
    const auto& places = sched.step_places();
    REQUIRE(places.size() == choices.size());
    std::vector<std::size_t> last_step(sched.task_count(), 0);
    for (std::size_t i = 0; i < choices.size(); ++i) last_step[static_cast<std::size_t>(choices[i])] = i;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        const engine::Place& at = places[i];
        const auto task = static_cast<std::size_t>(choices[i]);
        const auto stray = [&](const std::string& what) {
            if (c.stray.empty()) c.stray = where + ", step " + std::to_string(i) + " of " + sched.task_name(choices[i]) + ": " + what;
        };
        if (at.listing == engine::kNone) {  // a task's end taken as a step of its own runs no line
            if (last_step[task] != i) stray("a step on no line that is not its task's end");
            continue;
        }
        if (at.listing < 0 || static_cast<std::size_t>(at.listing) >= c.listings.size()) {
            stray("listing " + std::to_string(at.listing) + " of " + std::to_string(c.listings.size()));
            continue;
        }
        const auto l = static_cast<std::size_t>(at.listing);
        auto& reached = c.reached[l];
        if (at.first < 0 || at.first > at.line || at.line > at.last || static_cast<std::size_t>(at.last) >= reached.size()) {
            stray("line " + std::to_string(at.line) + " (running " + std::to_string(at.first) + " to " + std::to_string(at.last) + ") of \"" +
                  c.listings[l].title + "\", which has " + std::to_string(reached.size()));
            continue;
        }
        int& stood = c.stood[l][static_cast<std::size_t>(at.line)];
        stood = std::max(stood, last_step[task] == i ? 1 : 2);
        for (int line = at.first; line <= at.last; ++line) {
            reached[static_cast<std::size_t>(line)] = true;
            if (c.never(l, static_cast<std::size_t>(line))) stray("it ran line " + std::to_string(line) + " of \"" + c.listings[l].title + "\", which says it never runs");
        }
    }
    c.steps += choices.size();
}

// The runs: seeds under both policies and on one to three cores, until every
// line is reached and at least kMinRuns have run, or kMaxRuns have. Scenes with
// `never` lines run kMaxRuns: the check that those never run needs them all.
constexpr int kMinRuns = 60;
constexpr int kMaxRuns = 600;
constexpr std::uint64_t kMaxSteps = 20000;

bool has_never(const Coverage& c) {
    return std::any_of(c.listings.begin(), c.listings.end(), [](const scenes::Listing& l) { return !l.never.empty(); });
}

Coverage cover(const scenes::Scene& scene, const Params& params) {
    Coverage c;
    for (int i = 0; i < kMaxRuns && !(i >= kMinRuns && c.complete() && !has_never(c)); ++i) {
        scenes::Settings s;
        s.seed = 1 + static_cast<std::uint64_t>(i / 6);
        s.policy = i % 2 == 0 ? engine::Policy::Preemptive : engine::Policy::Cooperative;
        s.cores = 1 + (i / 2) % 3;
        s.params = params;
        auto run = scene.build(s);
        run->sched().record_places();
        run->sched().run(kMaxSteps);
        take(*run, c, "seed " + std::to_string(s.seed) + ", " + std::string(engine::to_string(s.policy)) + ", " + std::to_string(s.cores) + " core(s)");
    }
    return c;
}

}  // namespace

// [SECTION] Scenes

TEST_CASE("every scene's listings are its program: each step stands on its listed lines, and every line is run") {
    // The settings to check, counted from the catalogue alone (settings_count).
    std::size_t expected_pairs = 0;
    for (const scenes::Scene& scene : scenes::catalogue()) expected_pairs += settings_count(scene);
    std::size_t pairs = 0, listed = 0, never = 0, reached = 0;
    for (const scenes::Scene& scene : scenes::catalogue()) {
        for (const Params& params : settings_to_check(scene)) {
            CAPTURE(scene.id);
            CAPTURE(described(scene, params));
            const Coverage c = cover(scene, params);
            CHECK_MESSAGE(c.stray.empty(), c.stray);
            CHECK_MESSAGE(c.complete(), "never run:" << c.unreached());
            ++pairs;
            for (const auto& l : c.listings) {
                CHECK_MESSAGE(!l.lines.empty(), "\"" << l.title << "\" is empty");
                listed += l.lines.size();
                never += l.never.size();
            }
            reached += c.lines_reached();
        }
    }
    MESSAGE(pairs << " scene settings checked: " << reached << " listed lines run by some step, " << never << " shown never to run, of " << listed);
    CHECK(pairs == expected_pairs);
    // Every line the built listings hold is run, but those they say never run.
    CHECK(reached + never == listed);
}

// [SECTION] Example programs

namespace {
bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }
// A line of Lua that holds code: not blank, not only a comment, not a lone
// `end` (a step stands on the call that made it, or on a callback's function).
bool holds_code(std::string_view line) {
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos) return false;
    line.remove_prefix(start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    return line.rfind("--", 0) != 0 && line != "end" && line != "end)";
}
}  // namespace

TEST_CASE("every shipped example's steps stand on lines of its program that hold code, and its loop's listings are all run") {
    // A program's listing is the text its author wrote, where a step stands on
    // the line of the primitive call it is (or a loop callback on its
    // function's lines): declarations, `end`s, comments and blank lines take
    // none. So the rule for the program's own listing is the converse: no step
    // stands on a line without code -- but a top level that took no step ends
    // with one that stands on the program's last line that is not blank (the
    // end of its last statement, often an `end)`). The listings the runtime
    // adds (an event loop's phases, its pool's worker) must be run line by
    // line, as a scene's.
    std::size_t examples = 0, program_lines = 0, program_lines_run = 0;
    for (const scenes::Example& e : scenes::examples()) {
        CAPTURE(e.id);
        const scenes::Scene scene = scenes::program_scene(e.text);
        const Coverage c = cover(scene, {});
        CHECK_MESSAGE(c.stray.empty(), c.stray);
        REQUIRE_FALSE(c.listings.empty());
        const auto& program = c.listings[0];
        std::size_t last = program.lines.size() - 1;
        while (last > 0 && blank(program.lines[last])) --last;
        for (std::size_t i = 0; i < program.lines.size(); ++i) {
            const bool ends_top_level = c.stood[0][i] == 1 && i == last;
            if (c.stood[0][i] > 0 && !ends_top_level) CHECK_MESSAGE(holds_code(program.lines[i]), "a step stands on line " << i + 1 << ", which holds no code: " << program.lines[i]);
            program_lines_run += c.reached[0][i];
        }
        for (std::size_t l = 1; l < c.listings.size(); ++l) {
            for (std::size_t i = 0; i < c.listings[l].lines.size(); ++i) CHECK_MESSAGE(c.reached[l][i], "never run: " << c.listings[l].title << " line " << i << ": " << c.listings[l].lines[i]);
        }
        CHECK(c.steps > 0);
        program_lines += program.lines.size();
        ++examples;
    }
    MESSAGE(examples << " example programs checked: steps ran " << program_lines_run << " of their " << program_lines << " lines");
    CHECK(examples == scenes::examples().size());
}
