// Scene "proc/pipe": processes and IPC. `date | xargs echo "The date is:"` as
// two processes joined by a pipe: the reader blocks until the writer writes,
// and ends at end-of-file. Each process has its own memory: the counter race
// of threads cannot happen, and reaching into another process's memory is
// refused.
// Models table row: processes & IPC (OS processes, preemptive, pipes and messages).
#include "engine/co.hpp"
#include "engine/process.hpp"
#include "scenes/models.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Variant { kPipe = 0, kCounters = 1, kPeek = 2 };
const std::string kDate = "Thu Nov 26 2026";

class PipeRun final : public Run {
public:
    PipeRun(const Settings& settings, int variant, int capacity, int counts)
        : Run(settings), date_mem_(variant == kPipe ? "date" : "process1"), echo_mem_(variant == kPipe ? "xargs" : "process2"), pipe_("date | xargs", static_cast<std::size_t>(capacity)), variant_(variant),
          counts_(counts * (settings.runtime == RuntimeKind::Real ? 10000 : 1)) {
        rt().add(date_mem_);
        rt().add(echo_mem_);
        if (variant == kPipe) {
            rt().add(pipe_);
            listings_.push_back({"process 1: date", {"write(stdout, \"" + kDate + "\")", "exit  // closes the pipe"}});
            listings_.push_back({"process 2: xargs echo \"The date is:\"", {"loop: n := read(stdin, 4)  // blocks until process 1 writes",
                                                                           "  if end of file: break", "  args += bytes", "echo \"The date is:\" args"}});
        } else {
            const std::string loop = "repeat " + std::to_string(counts_) + " times: counter = counter + 1";
            listings_.push_back({"process 1", {loop}});
            listings_.push_back({"process 2", variant == kPeek ? std::vector<std::string>{"x := process1.counter  // another process's memory?"}
                                                               : std::vector<std::string>{loop}});
        }
        date_mem_.add_task(rt().spawn(variant == kPipe ? "date" : "process1", 0, [this](Ctx& ctx) { return first(ctx); }));
        echo_mem_.add_task(rt().spawn(variant == kPipe ? "xargs" : "process2", 1, [this](Ctx& ctx) { return second(ctx); }));
    }

    std::string outcome_key() const override {
        if (!is_real() && !sched().panics().empty()) return "refused";
        if (variant_ == kPipe) return echo_mem_.text();
        return "counters " + std::to_string(date_mem_.value("counter")) + " and " + std::to_string(echo_mem_.value("counter"));
    }

    Outcome outcome() const override {
        if (!over()) return {false, false, variant_ == kPipe ? "in the pipe: \"" + pipe_.bytes() + "\"" : "counting"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, sched().verdict_detail()};
        if (!is_real() && !sched().panics().empty()) return {true, false, "refused: " + sched().panics().front().message};
        if (is_real() && !real().error().empty()) return {true, false, "refused: " + real().error()};
        if (variant_ == kPipe) {
            const std::string want = "The date is: " + kDate;
            return {true, echo_mem_.text() != want, "xargs printed \"" + echo_mem_.text() + "\""};
        }
        const auto a = date_mem_.value("counter"), b = echo_mem_.value("counter");
        return {true, a != counts_ || b != counts_,
                "process 1's counter = " + std::to_string(a) + ", process 2's = " + std::to_string(b) + ": two copies, nothing shared, nothing lost"};
    }

private:
    engine::Co<void> count(Ctx& ctx, engine::ProcessMemory& mem) {
        for (std::int64_t i = 0; i < counts_; ++i) {
            const std::int64_t v = co_await mem.read(ctx.at(0), "counter");
            co_await mem.write(ctx.at(0), "counter", v + 1);
        }
    }
    Task first(Ctx& ctx) {
        if (variant_ != kPipe) {
            co_await count(ctx, date_mem_);
            co_return;
        }
        co_await pipe_.write(ctx.at(0), kDate);
        co_await pipe_.close(ctx.at(1));
    }
    Task second(Ctx& ctx) {
        if (variant_ == kCounters) {
            co_await count(ctx, echo_mem_);
            co_return;
        }
        if (variant_ == kPeek) {
            co_await date_mem_.read(ctx.at(0), "counter");  // panics: not our memory
            co_return;
        }
        co_await echo_mem_.append(ctx.at(3), "The date is: ");
        for (;;) {
            const std::string bytes = co_await pipe_.read(ctx.at(0).through(1), 4);  // and its end-of-file test
            if (bytes.empty()) break;
            co_await echo_mem_.append(ctx.at(2), bytes);
        }
    }

    engine::ProcessMemory date_mem_, echo_mem_;
    engine::Pipe pipe_;
    int variant_;
    std::int64_t counts_;
};

}  // namespace

Scene proc_pipe() {
    Scene s;
    s.id = "proc/pipe";
    s.title = "Processes and pipes: date | xargs echo";
    s.section = "Processes & IPC";
    s.row = models::kProcesses;
    s.slide =
        "Processes share nothing: each has its own memory, so the lost update of threads cannot happen. They "
        "talk through the operating system: a pipe is a byte stream with a capacity. The reader blocks until "
        "the writer writes, the writer blocks while the pipe is full, and closing the write end is end-of-file. "
        "What crosses is copied.";
    s.notes =
        "Pipe: its capacity of 4 makes date wait for xargs to read. V for a counter in each process: both end "
        "at N, nothing was shared. V again: process 2 reaching into process 1's memory is refused.";
    s.params = {
        {"variant", "program", 0, 2, 0, "which example", {"date | xargs echo", "a counter in each process", "reaching into another's memory"}},
        {"capacity", "pipe capacity", 1, 16, 4, "bytes the pipe holds", {}},
        {"counts", "increments", 1, 4, 2, "counter variant: increments per process (x 10,000 on real threads)", {}},
    };
    s.runs_on_real_threads = true;
    // A pipe of one byte has too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = [](const Settings&) { return 2; };
    s.claims = [](const Settings& st) {
        switch (st.params.at("variant")) {
        case kPipe: return Claim{false, "xargs prints the whole date in every schedule"};
        case kCounters: return Claim{false, "each counter ends at N: nothing shared, nothing lost"};
        default: return Claim{false, "the peek is refused in every schedule"};
        }
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<PipeRun>(settings, p.at("variant"), p.at("capacity"), p.at("counts"));
    };
    return s;
}

}  // namespace such::scenes
