// Scene "loop/ordering": the classic puzzles. Timeouts, immediates, next
// ticks and promise jobs, queued from the main script, from an I/O callback,
// from inside each other: in what order do they print, and which rule
// decides each? The same programs run in node in the tests, and the orders
// agree wherever node promises one.
// Models table row: evented.
#include "scenes/loop_programs.hpp"
#include "scenes/loop_scene.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += (out.empty() ? "" : ", ") + l;
    return out;
}

class OrderingRun final : public Run {
public:
    OrderingRun(const Settings& settings, int which) : Run(settings), loop_("loop"), file_("this file"), puzzle_(loop::puzzles()[static_cast<std::size_t>(which)]) {
        rt().add(loop_);
        listings_.push_back({"program (JavaScript, as node runs it)", loop::js_lines(puzzle_.main)});
        listings_.push_back(loop::loop_listing("event loop"));
        if (!turns(puzzle_.main)) {  // the ticks and promise jobs all run before the loop's first turn, and none comes
            for (int p = 0; p < engine::kLoopPhases; ++p) listings_.back().never.push_back(p);
        }
        loop_.at(loop::lines(0, 0, static_cast<int>(listings_[0].lines.size()) - 1));  // the main script: the whole program
        rt().spawn("loop", 1, [this](Ctx& ctx) { return loop::loop_task(ctx, loop_, "main", loop::to_callback(puzzle_.main, &file_, 0)); });
        if (reads_file(puzzle_.main)) {
            rt().add(file_);
            listings_.push_back(loop::network_listing("this file", file_arrivals_));
            rt().spawn("disk", 2, [this](Ctx& ctx) { return loop::network_task(ctx, file_, file_arrivals_); });
        }
    }

    std::string outcome_key() const override { return joined(loop_.output()); }

    Outcome scene_outcome() const override {
        const std::string printed = joined(loop_.output());
        if (!over()) return {false, false, printed.empty() ? "nothing printed yet" : "printed so far: " + printed};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        return {true, false, "printed: " + printed + ". " + puzzle_.rule};
    }

private:
    // Whether the program leaves the loop anything to turn for: a timer, an immediate, a file to read.
    static bool turns(const std::vector<loop::Op>& ops) {
        for (const loop::Op& op : ops) {
            if (op.kind == loop::Op::Timeout || op.kind == loop::Op::Immediate || op.kind == loop::Op::ReadFile || turns(op.body)) return true;
        }
        return false;
    }
    static bool reads_file(const std::vector<loop::Op>& ops) {
        for (const loop::Op& op : ops) {
            if (op.kind == loop::Op::ReadFile || reads_file(op.body)) return true;
        }
        return false;
    }

    engine::EventLoop loop_;
    engine::Stream file_;
    const loop::Puzzle& puzzle_;
    const std::vector<loop::Arrival> file_arrivals_{{2, "the file's bytes"}, {1, ""}};
};

}  // namespace

Scene loop_ordering() {
    Scene s;
    s.id = "loop/ordering";
    s.title = "Who runs first? Timers, immediates, ticks, promises";
    s.section = "Evented";
    s.row = models::kEvented;
    s.slide =
        "A callback never interrupts another: each runs to its end, then the loop picks the next by fixed rules. "
        "Next ticks first, then promise jobs, after every callback; timers in the timers phase, immediates in "
        "the check phase, I/O callbacks in poll. Pick a puzzle and guess the order before you step.";
    std::vector<std::string> names;
    for (const loop::Puzzle& p : loop::puzzles()) names.push_back(p.title);
    s.notes = "Each puzzle's rule: ";
    for (const loop::Puzzle& p : loop::puzzles()) s.notes += p.title + ": " + p.rule + " ";
    s.params = {{"puzzle", "puzzle", 0, static_cast<int>(names.size()) - 1, 0, "which ordering puzzle", names}};
    s.runs_on_real_threads = true;
    s.claims = [](const Settings& st) {
        const loop::Puzzle& p = loop::puzzles().at(static_cast<std::size_t>(st.params.at("puzzle")));
        if (!p.free_a.empty()) {
            return Claim{false, "every callback runs, the " + p.free_a + " and the " + p.free_b + " in either order"};
        }
        return Claim{false, "the loop prints in one order, decided by its rules, in every schedule"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> { return std::make_unique<OrderingRun>(settings, settings.params.at("puzzle")); };
    return s;
}

}  // namespace such::scenes
