// Scene "csp/deadlock": channels can deadlock too. Two tasks each wait to
// receive from the other before sending: nobody ever sends. Or a task waits
// in a select with no ready case and nobody left to make one ready. The
// verdict names who waits on what, and the cycle is drawn.
// Models table row: CSP.
#include "engine/channel.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Variant { kReceiveFirst = 0, kSendFirst = 1, kEmptySelect = 2 };

class DeadlockRun final : public Run {
public:
    DeadlockRun(const Settings& settings, int variant) : Run(settings), a_("a"), b_("b", variant == kSendFirst ? 1 : 0), variant_(variant) {
        rt().add(a_);
        rt().add(b_);
        if (variant == kEmptySelect) {
            listings_.push_back({"main", {"x := <-a   // the worker sends one value", "select {}  // waits for nothing, forever"}});
            listings_.push_back({"worker", {"a <- 1"}});
            rt().spawn("main", 0, [this](Ctx& ctx) { return forever(ctx); });
            rt().spawn("worker", 1, [this](Ctx& ctx) { return one(ctx); });
            return;
        }
        const bool first_recv = variant == kReceiveFirst;
        listings_.push_back({"ping", {first_recv ? "x := <-a" : "b <- 1", first_recv ? "b <- x + 1" : "x := <-a"}});
        listings_.push_back({"pong", {first_recv ? "y := <-b" : "a <- 1", first_recv ? "a <- y + 1" : "y := <-b"}});
        if (first_recv) {  // the sends the deadlock keeps from running
            listings_[0].never = {1};
            listings_[1].never = {1};
        }
        const engine::TaskId ping = rt().spawn("ping", 0, [this](Ctx& ctx) { return talk(ctx, a_, b_); });
        const engine::TaskId pong = rt().spawn("pong", 1, [this](Ctx& ctx) { return talk(ctx, b_, a_); });
        a_.set_sender(pong);
        b_.set_sender(ping);
    }

    std::string outcome_key() const override {
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return "deadlock";
        return "both done";
    }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, "talking"};
        if (sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        return {true, false, "both sent and received: no deadlock"};
    }

private:
    // Receive first (everyone waits) or send first (b has room for one; a is unbuffered).
    Task talk(Ctx& ctx, engine::Channel<int>& in, engine::Channel<int>& out) {
        if (variant_ == kReceiveFirst) {
            const auto x = co_await in.recv(ctx.at(0));
            co_await out.send(ctx.at(1), static_cast<int>(x.value) + 1);
        } else {
            co_await out.send(ctx.at(0), 1);
            co_await in.recv(ctx.at(1));
        }
    }
    Task forever(Ctx& ctx) {
        co_await a_.recv(ctx.at(0));
        std::vector<engine::SelectCase> none;  // select {}: nothing can ever be ready
        co_await engine::select(ctx.at(1), std::move(none));
    }
    Task one(Ctx& ctx) { co_await a_.send(ctx.at(0), 1); }

    engine::Channel<int> a_, b_;
    int variant_;
};

}  // namespace

Scene csp_deadlock() {
    Scene s;
    s.id = "csp/deadlock";
    s.title = "Channels deadlock too";
    s.section = "CSP";
    s.row = models::kCsp;
    s.slide =
        "Message passing removes data races, not waiting. Two tasks that each wait to hear from the other "
        "before speaking wait forever. Send first with no room to send into and it is the same. A select with "
        "nothing to wait for never returns. The runtime can tell: every task is blocked.";
    s.notes =
        "Receive first: the every-schedule beat shows every schedule deadlocks; the ring shows ping waiting "
        "on a, which only pong sends on, and pong waiting on b. V for send first: b has room for one, no "
        "schedule deadlocks. V again for select {}: main waits for nothing, forever.";
    s.params = {
        {"variant", "program", 0, 2, 0, "how they talk", {"both receive first", "both send first (b buffered)", "select {} after a receive"}},
    };
    s.claims = [](const Settings& st) {
        if (st.params.at("variant") == kSendFirst) return Claim{false, "no schedule deadlocks: b's room lets ping's send go first"};
        return Claim{true, "a deadlock is reachable"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> { return std::make_unique<DeadlockRun>(settings, settings.params.at("variant")); };
    return s;
}

}  // namespace such::scenes
