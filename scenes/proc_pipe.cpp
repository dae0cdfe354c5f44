// Scene "proc/pipe": processes and IPC. `date | xargs echo "The date is:"` as
// two processes joined by a pipe: the reader blocks until the writer writes,
// and ends at end-of-file. Each process has its own memory: the counter race
// of threads cannot happen, and reaching into another process's memory is
// refused. Memory is shared only on purpose: a page both map, with a mutex.
// The simulator models the processes. On real threads natively, the pipe and
// the shared page are real: the real date and xargs, two forked children
// (engine/os_process.hpp); the browser cannot start processes, so there they
// stay simulated.
// Models table row: processes & IPC (OS processes, preemptive, pipes and messages).
//
// Index
//   [SECTION] The simulated processes (and the threads that stand in for them)
//   [SECTION] Real processes
//   [SECTION] The scene
#include "engine/co.hpp"
#include "engine/mutex.hpp"
#include "engine/os_process.hpp"
#include "engine/process.hpp"
#include "engine/shared_var.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Variant { kPipe = 0, kCounters = 1, kPeek = 2, kShared = 3 };
const std::string kDate = "Thu Nov 26 2026";
const std::string kSaid = "The date is:";

// Increments per process: the parameter on the simulator; on real threads
// scaled up so that they take long enough to measure.
std::int64_t per_process(int counts, const Settings& settings) { return counts * (settings.runtime == RuntimeKind::Real ? 100000 : 1); }

// [SECTION] The simulated processes

class PipeRun final : public Run {
public:
    PipeRun(const Settings& settings, int variant, int capacity, int counts)
        : Run(settings), date_mem_(name(variant, 0)), echo_mem_(name(variant, 1)), pipe_("date | xargs", static_cast<std::size_t>(capacity)),
          page_counter_("page.counter", 0), page_mutex_("page.mutex"), variant_(variant), counts_(per_process(counts, settings)) {
        if (variant == kShared) {
            rt().add(page_counter_);
            rt().add(page_mutex_);
        }
        rt().add(date_mem_);
        rt().add(echo_mem_);
        const std::string loop = "repeat " + std::to_string(counts_) + " times:";
        if (variant == kPipe) {
            rt().add(pipe_);
            listings_.push_back({"process 1: date", {"write(stdout, \"" + kDate + "\")", "exit  // closes the pipe"}});
            listings_.push_back({"process 2: xargs echo \"" + kSaid + "\"", {"loop: n := read(stdin, 4)  // blocks until process 1 writes",
                                                                           "  if end of file: break", "  args += bytes", "echo \"" + kSaid + "\" args"}});
        } else if (variant == kShared) {
            const std::vector<std::string> child = {loop, "  lock(page.mutex)  // made for processes", "  page.counter = page.counter + 1  // the shared page",
                                                    "  unlock(page.mutex)", "  mine = mine + 1  // its own memory"};
            listings_.push_back({"child 1", child});
            listings_.push_back({"child 2", child});
        } else {
            const std::string count = "repeat " + std::to_string(counts_) + " times: counter = counter + 1";
            listings_.push_back({"process 1", {count}});
            listings_.push_back({"process 2", variant == kPeek ? std::vector<std::string>{"x := process1.counter  // another process's memory?"}
                                                               : std::vector<std::string>{count}});
        }
        date_mem_.add_task(rt().spawn(name(variant, 0), 0, [this](Ctx& ctx) { return first(ctx); }));
        echo_mem_.add_task(rt().spawn(name(variant, 1), 1, [this](Ctx& ctx) { return second(ctx); }));
    }

    std::string outcome_key() const override {
        if (!is_real() && !sched().panics().empty()) return "refused";
        if (variant_ == kPipe) return echo_mem_.text();
        if (variant_ == kShared) {
            return "page.counter " + std::to_string(page_counter_.value()) + ", mine " + std::to_string(date_mem_.value("mine")) + " and " +
                   std::to_string(echo_mem_.value("mine"));
        }
        return "counters " + std::to_string(date_mem_.value("counter")) + " and " + std::to_string(echo_mem_.value("counter"));
    }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, variant_ == kPipe ? "in the pipe: \"" + pipe_.bytes() + "\"" : "counting"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (!is_real() && !sched().panics().empty()) return {true, false, "refused: " + sched().panics().front().message};
        if (is_real() && !real().error().empty()) return {true, false, "refused: " + real().error()};
        if (variant_ == kPipe) {
            const std::string want = kSaid + " " + kDate;
            return {true, echo_mem_.text() != want, "xargs printed \"" + echo_mem_.text() + "\""};
        }
        if (variant_ == kShared) {
            const auto shared = page_counter_.value(), a = date_mem_.value("mine"), b = echo_mem_.value("mine");
            return {true, shared != 2 * counts_ || a != counts_ || b != counts_,
                    "page.counter = " + std::to_string(shared) + ": both processes' increments, one at a time; mine = " + std::to_string(a) + " and " +
                        std::to_string(b) + ": each its own copy"};
        }
        const auto a = date_mem_.value("counter"), b = echo_mem_.value("counter");
        return {true, a != counts_ || b != counts_,
                "process 1's counter = " + std::to_string(a) + ", process 2's = " + std::to_string(b) + ": two copies, nothing shared, nothing lost"};
    }

private:
    static std::string name(int variant, int which) {
        if (variant == kPipe) return which == 0 ? "date" : "xargs";
        return (variant == kShared ? "child " : "process") + std::to_string(which + 1);
    }
    engine::Co<void> count(Ctx& ctx, engine::ProcessMemory& mem) {
        for (std::int64_t i = 0; i < counts_; ++i) {
            const std::int64_t v = co_await mem.read(ctx.at(0), "counter");
            co_await mem.write(ctx.at(0), "counter", v + 1);
        }
    }
    engine::Co<void> count_shared(Ctx& ctx, engine::ProcessMemory& mem) {
        for (std::int64_t i = 0; i < counts_; ++i) {
            co_await page_mutex_.lock(ctx.at(1).from(0));  // and the loop's test
            const std::int64_t v = co_await page_counter_.read(ctx.at(2));
            co_await page_counter_.write(ctx.at(2), v + 1);
            co_await page_mutex_.unlock(ctx.at(3));
            const std::int64_t m = co_await mem.read(ctx.at(4), "mine");
            co_await mem.write(ctx.at(4), "mine", m + 1);
        }
    }
    Task first(Ctx& ctx) {
        if (variant_ == kShared) {
            co_await count_shared(ctx, date_mem_);
            co_return;
        }
        if (variant_ != kPipe) {
            co_await count(ctx, date_mem_);
            co_return;
        }
        co_await pipe_.write(ctx.at(0), kDate);
        co_await pipe_.close(ctx.at(1));
    }
    Task second(Ctx& ctx) {
        if (variant_ == kShared) {
            co_await count_shared(ctx, echo_mem_);
            co_return;
        }
        if (variant_ == kCounters) {
            co_await count(ctx, echo_mem_);
            co_return;
        }
        if (variant_ == kPeek) {
            co_await date_mem_.read(ctx.at(0), "counter");  // panics: not our memory
            co_return;
        }
        co_await echo_mem_.append(ctx.at(3), kSaid + " ");
        for (;;) {
            const std::string bytes = co_await pipe_.read(ctx.at(0).through(1), 4);  // and its end-of-file test
            if (bytes.empty()) break;
            co_await echo_mem_.append(ctx.at(2), bytes);
        }
    }

    engine::ProcessMemory date_mem_, echo_mem_;
    engine::Pipe pipe_;
    engine::SharedVar page_counter_;
    engine::Mutex page_mutex_;
    int variant_;
    std::int64_t counts_;
};

// [SECTION] Real processes

// The shared page's values.
enum PageValue { kCounter = 0, kFirstMine = 1, kSecondMine = 2, kGo = 3 };

struct ChildArgs {
    engine::SharedPage* page;
    std::int64_t n;
    std::int64_t* mine;  // an ordinary variable of the parent's
    int report;          // where in the page the child says what its `mine` reached
};

// What each forked child runs: the page's process-shared lock and plain
// memory, nothing else (see OsProcess::ChildBody).
int count_in_child(void* arg) {
    const auto& a = *static_cast<const ChildArgs*>(arg);
    // The start line: both begin together, or the first could be done before
    // the second is forked (2 x 1,000,000 unlocked increments forked one after
    // the other lost none here).
    while (a.page->load(kGo) == 0) {
    }
    for (std::int64_t i = 0; i < a.n; ++i) {
        a.page->lock();
        a.page->at(kCounter) += 1;
        a.page->unlock();
        *a.mine += 1;  // lands in this child's copy of the parent's memory
    }
    a.page->lock();
    a.page->at(a.report) = *a.mine;
    a.page->unlock();
    return 0;
}

// The xargs words: what it read, split at blanks and newlines, joined by one space.
std::string words(const std::string& text) {
    std::string out, word;
    for (char c : text + " ") {
        if (c != ' ' && c != '\t' && c != '\n') {
            word += c;
        } else if (!word.empty()) {
            out += (out.empty() ? "" : " ") + word;
            word.clear();
        }
    }
    return out;
}

std::string without_newline(std::string text) {
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

// One thread of the parent starts and waits for real children: `date` and
// `xargs` on a pipe(2), or two forked children sharing a page.
class ProcessRun final : public Run {
public:
    ProcessRun(const Settings& settings, int variant, int counts)
        : Run(settings), variant_(variant), per_child_(per_process(counts, settings)), first_(variant == kPipe ? "date" : "child 1"),
          second_(variant == kPipe ? "xargs" : "child 2"), link_("date | xargs"), out_("xargs's stdout"), page_("page") {
        rt().add(first_);
        rt().add(second_);
        if (variant == kPipe) {
            rt().add(link_);
            rt().add(out_);
            listings_.push_back({"the parent (a shell)", {"spawn date, stdout = the pipe  // posix_spawnp", "waitpid(date)",
                                                          "tee(the pipe): the bytes date left in it, not taken",
                                                          "spawn xargs echo \"" + kSaid + "\", stdin = the pipe, stdout = out",
                                                          "read(out) until end of file", "waitpid(xargs)"}});
            rt().spawn("sh", 0, [this](Ctx& ctx) { return shell(ctx); });
            return;
        }
        rt().add(page_);
        error_ = page_.map();
        args_[0] = {&page_, per_child_, &mine_, kFirstMine};
        args_[1] = {&page_, per_child_, &mine_, kSecondMine};
        listings_.push_back({"the parent", {"page = mmap(MAP_SHARED | MAP_ANONYMOUS), its mutex PTHREAD_PROCESS_SHARED",
                                            "fork() twice; each child, once both are there: repeat " + std::to_string(per_child_) +
                                                " times: lock; page.counter += 1; unlock; mine += 1",
                                            "waitpid(both)", "read page.counter and mine"}});
        rt().spawn("parent", 0, [this](Ctx& ctx) { return parent(ctx); });
    }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, "running real processes"};
        if (!error_.empty()) return {true, true, "could not map the shared page: " + error_};
        if (!real().error().empty()) return {true, true, "error: " + real().error()};
        return variant_ == kPipe ? pipe_outcome() : shared_outcome();
    }

private:
    Outcome pipe_outcome() const {
        const std::string printed = without_newline(out_.seen()), date = without_newline(link_.seen());
        const bool right = printed == kSaid + " " + words(date) && first_.status() == 0 && second_.status() == 0;
        std::string line = "xargs printed \"" + printed + "\": date (pid " + std::to_string(first_.pid()) + ") left " +
                           std::to_string(link_.seen().size()) + " bytes in the pipe, xargs (pid " + std::to_string(second_.pid()) + ") read them; " +
                           exits();
        if (!right) line += "; but date printed \"" + date + "\"";
        return {true, !right, line};
    }

    Outcome shared_outcome() const {
        const std::int64_t shared = page_.value(kCounter), a = page_.value(kFirstMine), b = page_.value(kSecondMine);
        const bool right = shared == 2 * per_child_ && a == per_child_ && b == per_child_ && mine_ == 0 && first_.status() == 0 && second_.status() == 0;
        return {true, !right,
                "page.counter = " + grouped(shared) + " = 2 x " + grouped(per_child_) + ": two forked children (pids " + std::to_string(first_.pid()) + ", " +
                    std::to_string(second_.pid()) + ") shared the page, and " + contention() + "; mine reached " + grouped(a) + " and " + grouped(b) +
                    " in their copies and is " + std::to_string(mine_) + " in the parent's (copy-on-write); " + exits()};
    }

    std::string contention() const {
        const std::int64_t n = page_.contended();
        return n == 0 ? "neither found its mutex held this time" : "found its mutex held " + grouped(n) + " times";
    }

    std::string exits() const {
        if (first_.status() == second_.status()) return "both exited with status " + std::to_string(first_.status());
        return "exit statuses " + std::to_string(first_.status()) + " and " + std::to_string(second_.status());
    }

    Task shell(Ctx& ctx) {
        const std::vector<std::string> date = {"date"}, xargs = {"xargs", "echo", kSaid};
        co_await first_.start(ctx.at(0), date, nullptr, &link_);
        co_await first_.wait(ctx.at(1));
        co_await link_.peek(ctx.at(2));
        co_await second_.start(ctx.at(3), xargs, &link_, &out_);
        for (;;) {
            const std::string bytes = co_await out_.read(ctx.at(4), 4096);
            if (bytes.empty()) break;
        }
        co_await second_.wait(ctx.at(5));
    }

    Task parent(Ctx& ctx) {
        if (!error_.empty()) co_return;
        co_await first_.fork(ctx.at(1), &count_in_child, &args_[0]);
        co_await second_.fork(ctx.at(1), &count_in_child, &args_[1]);
        page_.store(kGo, 1);
        co_await first_.wait(ctx.at(2));
        co_await second_.wait(ctx.at(2));
        ctx.at(3);
    }

    int variant_;
    std::int64_t per_child_;
    engine::OsProcess first_, second_;
    engine::OsPipe link_, out_;
    engine::SharedPage page_;
    std::string error_;
    std::int64_t mine_ = 0;  // the parent's ordinary memory: the children write their own copies
    ChildArgs args_[2] = {};
};

}  // namespace

// [SECTION] The scene

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
        "What crosses is copied. Memory is shared only on purpose: a page both map, with a mutex made for processes. "
        "These processes are simulated; on real threads the desktop app starts real ones, which a browser cannot.";
    s.notes =
        "Pipe: its capacity of 4 makes date wait for xargs to read. V for a counter in each process: both end "
        "at N, nothing was shared. V again: process 2 reaching into process 1's memory is refused. V again: a shared "
        "page, 2N on it, each process's own counter N.";
    s.params = {
        {"variant", "program", 0, 3, 0, "which example",
         {"date | xargs echo", "a counter in each process", "reaching into another's memory", "shared memory (mmap) and a mutex"}},
        {"capacity", "pipe capacity", 1, 16, 4, "bytes the pipe holds", {}},
        {"counts", "increments", 1, 4, 2, "counter variants: increments per process (x 100,000 on real threads)", {}},
    };
    s.runs_on_real_threads = true;
    s.real_caption = "the same program on the operating system: real processes (fork, pipe, waitpid, mmap) where it has them";
    // A pipe of one byte has too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.real_refusal = [](const Settings& st) -> std::string {
        const int v = st.params.at("variant");
        if ((v != kPipe && v != kShared) || engine::os_processes_available()) return "";
        return "processes are simulated in the browser: on real threads this example starts real ones (fork, pipe, waitpid), which a web page cannot";
    };
    s.claims = [](const Settings& st) {
        switch (st.params.at("variant")) {
        case kPipe: return Claim{false, "xargs prints the whole date in every schedule"};
        case kCounters: return Claim{false, "each counter ends at N: nothing shared, nothing lost"};
        case kShared: return Claim{false, "the shared counter ends at 2N and each process's own at N"};
        default: return Claim{false, "the peek is refused in every schedule"};
        }
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        const int variant = p.at("variant");
        if (settings.runtime == RuntimeKind::Real && (variant == kPipe || variant == kShared)) return std::make_unique<ProcessRun>(settings, variant, p.at("counts"));
        return std::make_unique<PipeRun>(settings, variant, p.at("capacity"), p.at("counts"));
    };
    return s;
}

}  // namespace such::scenes
