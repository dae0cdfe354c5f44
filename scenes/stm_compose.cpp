// Scene "stm/compose": locks don't compose, transactions do. `transfer` is
// built from `withdraw` and `deposit`. With a lock per account, each piece is
// safe alone but an auditor can look between them and find money missing;
// and a withdrawal short of funds can only poll. As transactions the pair is
// one atomic step to everybody else, and the short withdrawal `retry`s: it
// sleeps until a deposit commits.
// Models table row: threads & transactional memory.
#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"
#include "scenes/stm_accounts.hpp"

namespace such::scenes {
namespace {

using engine::Co;
using engine::Ctx;
using engine::Task;
using engine::Tx;

enum Sync { kStm = 0, kLocks = 1 };
constexpr long kSavings = 30, kSalary = 40, kRent = 50;
constexpr int kPolls = 3;  // a lock-based withdrawal short of funds polls, then gives up

class ComposeRun final : public Run {
public:
    ComposeRun(const Settings& settings, int sync)
        : Run(settings), a_("alice", kSavings), b_("bob", 0), pa_("alice", kSavings), pb_("bob", 0), la_("alice lock"),
          lb_("bob lock"), sync_(sync) {
        if (sync == kStm) {
            rt().add(stm_);
            rt().add(a_);
            rt().add(b_);
            listings_.push_back({"payer", {"atomically {  // transfer(alice, bob, 50)", "  withdraw(alice, 50)  // short? retry",
                                           "  deposit(bob, 50)", "}"}});
            listings_.push_back({"employer", {"atomically {", "  deposit(alice, 40)", "}"}});
            listings_.push_back({"auditor", {"atomically {", "  total = alice + bob", "}"}});
        } else {
            rt().add(pa_);
            rt().add(pb_);
            rt().add(la_);
            rt().add(lb_);
            listings_.push_back({"payer", {"withdraw(alice, 50):  // lock alice; short? unlock, poll again",
                                           "  lock(alice); alice -= 50; unlock(alice)", "deposit(bob, 50):",
                                           "  lock(bob); bob += 50; unlock(bob)"}});
            listings_.push_back({"employer", {"deposit(alice, 40):", "  lock(alice); alice += 40; unlock(alice)"}});
            listings_.push_back({"auditor", {"lock(alice); a = alice; unlock(alice)", "lock(bob); b = bob; unlock(bob)",
                                             "total = a + b"}});
        }
        rt().spawn("payer", 0, [this](Ctx& ctx) { return sync_ == kStm ? pay_stm(ctx) : pay_locks(ctx); });
        rt().spawn("employer", 1, [this](Ctx& ctx) { return sync_ == kStm ? salary_stm(ctx) : salary_locks(ctx); });
        rt().spawn("auditor", 2, [this](Ctx& ctx) { return sync_ == kStm ? audit_stm(ctx) : audit_locks(ctx); });
    }

    // Consistent totals: before the salary (30) or after it (70).
    bool audit_ok() const { return seen_ == kSavings || seen_ == kSavings + kSalary; }

    std::string outcome_key() const override {
        if (!over()) return "running";
        std::string key = "auditor saw " + std::to_string(seen_);
        if (gave_up_) key += ", payer gave up";
        return key;
    }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, seen_ < 0 ? "the auditor has not looked yet" : "auditor saw a total of " + std::to_string(seen_)};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (!audit_ok()) {
            return {true, true, "the auditor saw a total of " + std::to_string(seen_) + ": it looked between withdraw and deposit"};
        }
        std::string wait = sync_ == kStm ? "; the payer slept in retry " + counted(static_cast<long>(stm_.stats().retries), "time") + ", no polling"
                                         : "; the payer polled " + counted(polls_, "time") + (gave_up_ ? " and gave up" : "");
        return {true, gave_up_, "the auditor saw a consistent total of " + std::to_string(seen_) + wait};
    }

private:
    // Each transaction's commit stands on its closing line.
    static Co<void> transfer_rent(Tx& tx, Account& from, Account& to) {
        co_await transfer(tx, from, to, kRent, 1);
        tx.at(3);
    }
    static Co<void> pay_salary(Tx& tx, Account& to) {
        co_await deposit(tx, to, kSalary, 1);
        tx.at(2);
    }
    Task pay_stm(Ctx& ctx) {
        co_await engine::atomically(ctx.at(0), stm_, [this](Tx& tx) { return transfer_rent(tx, a_, b_); });
    }
    Task salary_stm(Ctx& ctx) {
        co_await engine::atomically(ctx.at(0), stm_, [this](Tx& tx) { return pay_salary(tx, a_); });
    }
    static Co<long> total(Tx& tx, Account& a, Account& b) {
        const long x = co_await tx.at(1).read(a);
        const long y = co_await tx.at(1).read(b);
        tx.at(2);
        co_return x + y;
    }
    Task audit_stm(Ctx& ctx) {
        seen_ = co_await engine::atomically(ctx.at(0), stm_, [this](Tx& tx) { return total(tx, a_, b_); });
    }

    // The same composition with a lock per account: each call is safe alone.
    Task pay_locks(Ctx& ctx) {
        for (;;) {
            co_await la_.lock(ctx.at(1).from(0));  // the call, then its body
            const auto balance = co_await pa_.read(ctx.at(1));
            if (balance >= kRent) {
                co_await pa_.write(ctx.at(1), balance - kRent);
                co_await la_.unlock(ctx.at(1));
                break;
            }
            co_await la_.unlock(ctx.at(0));
            if (++polls_ == kPolls) {
                gave_up_ = true;
                co_return;
            }
            co_await engine::YieldStep(ctx.at(0));
        }
        co_await lb_.lock(ctx.at(3).from(2));
        const auto b = co_await pb_.read(ctx.at(3));
        co_await pb_.write(ctx.at(3), b + kRent);
        co_await lb_.unlock(ctx.at(3));
    }
    Task salary_locks(Ctx& ctx) {
        co_await la_.lock(ctx.at(1).from(0));
        const auto a = co_await pa_.read(ctx.at(1));
        co_await pa_.write(ctx.at(1), a + kSalary);
        co_await la_.unlock(ctx.at(1));
    }
    Task audit_locks(Ctx& ctx) {
        co_await la_.lock(ctx.at(0));
        const auto a = co_await pa_.read(ctx.at(0));
        co_await la_.unlock(ctx.at(0));
        co_await lb_.lock(ctx.at(1));
        const auto b = co_await pb_.read(ctx.at(1));
        co_await lb_.unlock(ctx.at(1).through(2));  // and adds up, on its own
        seen_ = a + b;
    }

    engine::Stm stm_;
    Account a_, b_;
    engine::SharedVar pa_, pb_;
    engine::Mutex la_, lb_;
    int sync_;
    long seen_ = -1;
    int polls_ = 0;
    bool gave_up_ = false;
};

}  // namespace

Scene stm_compose() {
    Scene s;
    s.id = "stm/compose";
    s.title = "Composing: locks don't, transactions do";
    s.section = "Threads & transactional memory";
    s.row = models::kThreadsStm;
    s.slide =
        "transfer = withdraw, then deposit. With a lock per account each piece is correct alone, yet an auditor "
        "can look in between and find money missing, and a withdrawal short of funds can only poll. As "
        "transactions, the two pieces compose into one atomic transfer, and a short withdrawal just says retry: "
        "it sleeps until a deposit commits, then runs again.";
    s.notes =
        "Alice has 30 and owes Bob 50; her salary of 40 is on its way. STM: the payer sleeps in retry (the "
        "wait on the timeline) and wakes when the salary commits; every schedule shows a consistent total. V "
        "for a lock per account: the every-schedule beat finds the auditor seeing 80 or 20.";
    s.params = {
        {"sync", "built with", 0, 1, 0, "how withdraw and deposit are protected", {"transactions (STM)", "a lock per account"}},
    };
    s.claims = [](const Settings& st) {
        if (st.params.at("sync") == kLocks) return Claim{true, "the auditor can see an inconsistent total"};
        return Claim{false, "the auditor always sees a consistent total and the payer always pays"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> { return std::make_unique<ComposeRun>(settings, settings.params.at("sync")); };
    return s;
}

}  // namespace such::scenes
