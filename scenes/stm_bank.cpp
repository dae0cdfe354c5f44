// Scene "stm/bank": tasks move money between accounts. With transactions the
// total is conserved in every schedule and nobody deadlocks; with a lock per
// account taken in whatever order the transfer names them, two transfers in
// opposite directions deadlock; with one global lock everything serialises.
// On real threads it measures transfers per second for each.
// Models table row: threads & transactional memory.
#include <deque>

#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"
#include "scenes/stm_accounts.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;
using engine::Tx;

enum Sync { kStm = 0, kAccountLocks = 1, kGlobalLock = 2 };
constexpr long kOpening = 100;

// Transfers only go from account k to k + 1 (mod n), so with locks taken in
// that order the only wait cycle is the whole ring: reachable when each edge
// of the ring can be held by a different task at once.
bool ring_closable(int accounts, int tasks, int each) {
    std::vector<bool> used(static_cast<std::size_t>(tasks), false);
    const auto assign = [&](const auto& self, int edge) -> bool {
        if (edge == accounts) return true;
        for (int t = 0; t < tasks; ++t) {
            const bool covers = (edge - t + accounts) % accounts < each;
            if (!covers || used[static_cast<std::size_t>(t)]) continue;
            used[static_cast<std::size_t>(t)] = true;
            if (self(self, edge + 1)) return true;
            used[static_cast<std::size_t>(t)] = false;
        }
        return false;
    };
    return assign(assign, 0);
}

std::int64_t transfers(int param, bool real) { return real ? std::int64_t{param} * 20000 : param; }

class BankRun final : public Run {
public:
    BankRun(const Settings& settings, int accounts, int tasks, int each, int sync)
        : Run(settings), global_("bank"), sync_(sync), tasks_(tasks), each_(transfers(each, settings.runtime == RuntimeKind::Real)) {
        if (sync == kStm) rt().add(stm_);
        if (sync == kGlobalLock) rt().add(global_);
        for (int i = 0; i < accounts; ++i) {
            const std::string name = "acct" + std::to_string(i);
            if (sync == kStm) {
                rt().add(tvars_.emplace_back(name, kOpening));
            } else {
                rt().add(plain_.emplace_back(name, kOpening));
                if (sync == kAccountLocks) rt().add(locks_.emplace_back("lock" + std::to_string(i)));
            }
        }
        const std::string loop = each_ == 1 ? std::string("one transfer, from -> to:") : "repeat " + std::to_string(each_) + " times, from -> to:";
        if (sync == kStm) {
            listings_.push_back({"each task", {loop, "  atomically {", "    withdraw(from, amount)", "    deposit(to, amount)",
                                               "  }"}});
        } else {
            const char* first = sync == kGlobalLock ? "  lock(bank)" : "  lock(from); lock(to)";
            const char* last = sync == kGlobalLock ? "  unlock(bank)" : "  unlock(to); unlock(from)";
            listings_.push_back({"each task", {loop, first, "    from = from - amount", "    to = to + amount", last}});
        }
        for (int i = 0; i < tasks; ++i) rt().spawn("T" + std::to_string(i + 1), 0, [this, i](Ctx& ctx) { return program(ctx, i); });
    }

    long total() const {
        long sum = 0;
        for (const auto& a : tvars_) sum += a.value();
        for (const auto& a : plain_) sum += a.value();
        return sum;
    }
    long expected() const { return kOpening * static_cast<long>(tvars_.size() + plain_.size()); }

    std::string outcome_key() const override {
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return "deadlock";
        return "total = " + std::to_string(total());
    }

    Outcome scene_outcome() const override {
        const std::string sum = "total = " + std::to_string(total());
        if (!over()) return {false, false, "running: " + sum + stm_note()};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (total() != expected()) return {true, true, sum + " of " + std::to_string(expected()) + ": money appeared or vanished"};
        std::string headline = sum + ": conserved" + stm_note();
        if (is_real() && real().seconds() > 0) {
            const double rate = static_cast<double>(each_ * tasks_) / real().seconds();
            headline += "; " + std::to_string(each_ * tasks_) + " transfers in " + std::to_string(static_cast<int>(real().seconds() * 1000)) +
                        " ms = " + std::to_string(static_cast<long>(rate / 1000)) + "k per second";
        }
        return {true, false, headline};
    }

private:
    std::string stm_note() const {
        if (sync_ != kStm) return {};
        const auto st = stm_.stats();
        return "; " + counted(static_cast<long>(st.commits), "commit") + ", " + counted(static_cast<long>(st.aborts_total()), "rollback");
    }
    // Task i's j-th transfer goes around the ring of accounts, so with locks
    // taken in the named order the tasks can close a cycle.
    std::pair<std::size_t, std::size_t> pair_for(int task, std::int64_t j) const {
        const auto n = static_cast<std::int64_t>(tvars_.size() + plain_.size());
        const auto from = static_cast<std::size_t>((task + j) % n);
        return {from, static_cast<std::size_t>((task + j + 1) % n)};
    }
    static long amount_for(int task) { return 10 + 10 * task; }

    Task program(Ctx& ctx, int task) {
        for (std::int64_t j = 0; j < each_; ++j) {
            const auto [from, to] = pair_for(task, j);
            const long amount = amount_for(task);
            if (sync_ == kStm) {
                Account& a = tvars_[from];
                Account& b = tvars_[to];
                // From the loop's test on, as each iteration's first step does.
                co_await engine::atomically(ctx.at(1).from(0), stm_, [&a, &b, amount](Tx& tx) { return move(tx, a, b, amount); });
                continue;
            }
            engine::Mutex& first = sync_ == kGlobalLock ? global_ : locks_[from];
            co_await first.lock(ctx.at(1).from(0));
            if (sync_ == kAccountLocks) co_await locks_[to].lock(ctx.at(1));
            const auto f = co_await plain_[from].read(ctx.at(2));
            co_await plain_[from].write(ctx.at(2), f - amount);
            const auto t = co_await plain_[to].read(ctx.at(3));
            co_await plain_[to].write(ctx.at(3), t + amount);
            if (sync_ == kAccountLocks) co_await locks_[to].unlock(ctx.at(4));
            co_await first.unlock(ctx.at(4));
        }
    }
    // Overdrafts are allowed here: the scene is about the total, not the rules.
    static engine::Co<void> move(Tx& tx, Account& from, Account& to, long amount) {
        co_await deposit(tx, from, -amount, 2);
        co_await deposit(tx, to, amount, 3);
        tx.at(4);
    }

    engine::Stm stm_;
    std::deque<Account> tvars_;
    std::deque<engine::SharedVar> plain_;
    std::deque<engine::Mutex> locks_;
    engine::Mutex global_;
    int sync_;
    int tasks_;
    std::int64_t each_;
};

}  // namespace

Scene stm_bank() {
    Scene s;
    s.id = "stm/bank";
    s.title = "Bank transfers: transactions vs locks";
    s.section = "Threads & transactional memory";
    s.row = models::kThreadsStm;
    s.slide =
        "Tasks move money between accounts. As transactions, the total is always conserved and no transfer "
        "holds a lock while it works. With a lock per account taken in the order each transfer names them, two transfers in "
        "opposite directions deadlock. One global lock is safe, but then only one transfer runs at a time.";
    s.notes =
        "Transactions: the every-schedule beat finds no schedule that loses money or deadlocks. V for a lock "
        "per account: the every-schedule beat finds a schedule that deadlocks. V for one global lock: safe "
        "again, one transfer at a time.";
    s.params = {
        {"accounts", "accounts", 2, 5, 3, "how many accounts", {}},
        {"tasks", "tasks", 2, 4, 3, "how many tasks move money", {}},
        {"each", "transfers each", 1, 3, 1, "transfers per task (x 20,000 on real threads)", {}},
        {"sync", "protection", 0, 2, 0, "how a transfer is made safe", {"transactions (STM)", "lock per account", "one global lock"}},
    };
    s.runs_on_real_threads = true;
    s.real_refusal = [](const Settings& st) -> std::string {
        if (st.params.at("sync") != kAccountLocks) return {};
        return "account locks in arbitrary order can deadlock, and deadlocked threads would hang for good: explore them on the simulator";
    };
    // Past the defaults, too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings& st) {
        const auto& p = st.params;
        if (p.at("sync") == kAccountLocks) {
            if (ring_closable(p.at("accounts"), p.at("tasks"), p.at("each"))) return Claim{true, "a deadlock is reachable"};
            return Claim{false, "too few tasks to close the ring of accounts: no deadlock"};
        }
        return Claim{false, "the total is conserved in every schedule"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<BankRun>(settings, p.at("accounts"), p.at("tasks"), p.at("each"), p.at("sync"));
    };
    return s;
}

}  // namespace such::scenes
