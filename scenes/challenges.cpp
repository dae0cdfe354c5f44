// The challenges, and the progress a player keeps between sessions.
#include "scenes/challenges.hpp"

#include <algorithm>

namespace such::scenes {
namespace {

bool deadlocked(const Run& run) { return !run.is_real() && run.sched().verdict() == engine::Verdict::Deadlock; }

bool finished_with(const Run& run, std::string_view object, std::string_view value) {
    if (run.is_real() || run.sched().verdict() != engine::Verdict::Finished) return false;
    const auto& s = run.sched();
    for (std::size_t i = 0; i < s.object_count(); ++i) {
        const auto& o = s.object(static_cast<engine::ObjectId>(i));
        if (o.name() == object) return o.snapshot().value == value;
    }
    return false;
}

bool traced(const Run& run, engine::EventKind kind) {
    if (run.is_real()) return false;
    return run.sched().trace().count(kind) > 0;  // forgotten events too
}

}  // namespace

const std::vector<Challenge>& challenges() {
    static const std::vector<Challenge> kChallenges = {
        {"lose-an-update", "Lose an update", "Make foo end at 1 although both threads added 1.",
         "Let both threads read foo before either writes it back.", "atomicity/race?seed=1&policy=manual",
         [](const Run& r) { return r.over() && r.outcome().bad; }},
        {"lowest-count", "The lowest count", "Two threads add 1 twice each: make the counter end at 2.",
         "Each thread must overwrite the other's work once: read, let the other finish a round, then write.",
         "threads/counter?seed=1&policy=manual&threads=2&m=2&sync=0",
         [](const Run& r) { return finished_with(r, "counter", "2"); }},
        {"deadlock-philosophers", "Deadlock the philosophers", "Three philosophers: bring the table to a deadlock.",
         "Give every philosopher one fork before anyone takes a second.",
         "threads/philosophers?seed=1&policy=manual&n=3&meals=1&strategy=0", deadlocked},
        {"roll-back", "Roll a transaction back", "Make a transaction fail its commit and run again.",
         "Let one transaction read, then let the other commit a write to what it read.", "stm/commit?seed=1&policy=manual&tasks=2&each=1",
         [](const Run& r) { return traced(r, engine::EventKind::TxAbort); }},
        {"deadlock-bank", "Deadlock the bank", "Two transfers in opposite directions, a lock per account: deadlock them.",
         "Each transfer locks its source first: let both take their first lock.",
         "stm/bank?seed=1&policy=manual&accounts=2&tasks=2&each=1&sync=1", deadlocked},
    };
    return kChallenges;
}

bool Progress::unlocked(std::size_t i) const {
    const auto& all = challenges();
    for (std::size_t k = 0; k < i && k < all.size(); ++k) {
        if (!solved(all[k].id)) return false;
    }
    return i < all.size();
}

bool Progress::record(const std::string& id, std::uint64_t steps) {
    const auto it = best.find(id);
    if (it != best.end() && it->second <= steps) return false;
    best[id] = steps;
    return true;
}

std::string Progress::save() const {
    std::string out;
    for (const auto& [id, steps] : best) out += id + " " + std::to_string(steps) + "\n";
    return out;
}

bool Progress::parse(std::string_view text, Progress& out, std::string& error) {
    Progress p;
    int line_no = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        if (line.empty()) continue;
        const auto sp = line.find(' ');
        const std::string_view id = line.substr(0, sp);
        std::uint64_t steps = 0;
        const bool known = std::any_of(challenges().begin(), challenges().end(), [id](const Challenge& c) { return c.id == id; });
        if (sp == std::string_view::npos || !known || !parse_u64(line.substr(sp + 1), steps, 1000000)) {
            error = "line " + std::to_string(line_no) + " is not '<challenge> <steps>': '" + shown(line, 60) + "'";
            return false;
        }
        p.best[std::string(id)] = steps;
    }
    out = std::move(p);
    return true;
}

}  // namespace such::scenes
