// Scene "actors/selective": selective receive. Two clients send a mix of
// orders and log lines to a shop; the shop takes orders first, skipping the
// log lines, which stay in the mailbox, in order, for later. Messages from
// one sender arrive in the order sent; between two senders either order can
// happen, and the explorer shows both.
// Models table row: actors.
#include "engine/actor.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

class SelectiveRun final : public Run {
public:
    SelectiveRun(const Settings& settings, int senders) : Run(settings), shop_("<0.3> shop"), senders_(senders) {
        rt().add(shop_);
        listings_.push_back({"client i", {"send(shop, log(i))", "send(shop, order(i))", "send(shop, log(i))"}});
        listings_.push_back({"shop", {"repeat " + std::to_string(senders) + " times: receive order(x) -> ship x  // skips log lines",
                                      "then: receive log(x) -> write x, until none are left"}});
        for (int i = 1; i <= senders; ++i) rt().spawn("client" + std::to_string(i), 0, [this, i](Ctx& ctx) { return client(ctx, i); });
        shop_.set_owner(rt().spawn("shop", 1, [this](Ctx& ctx) { return shop(ctx); }));
    }

    std::string outcome_key() const override { return "orders " + orders_ + " then logs " + logs_; }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, "shipped: " + (orders_.empty() ? std::string("none yet") : orders_)};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        return {true, false, "shipped orders " + orders_ + " first, then wrote logs " + logs_ + ": skipped messages kept their order"};
    }

private:
    Task client(Ctx& ctx, int i) {
        co_await shop_.send(ctx.at(0), "log", i);
        co_await shop_.send(ctx.at(1), "order", i);
        co_await shop_.send(ctx.at(2), "log", i);
    }
    Task shop(Ctx& ctx) {
        for (int k = 0; k < senders_; ++k) {
            const auto m = co_await shop_.receive(ctx.at(0), engine::tagged("order"));
            orders_ += std::to_string(m->value);
        }
        for (int k = 0; k < 2 * senders_; ++k) {
            const auto m = co_await shop_.receive(ctx.at(1), engine::tagged("log"));
            logs_ += std::to_string(m->value);
        }
    }

    engine::Mailbox shop_;
    int senders_;
    std::string orders_, logs_;
};

}  // namespace

Scene actors_selective() {
    Scene s;
    s.id = "actors/selective";
    s.title = "Selective receive";
    s.section = "Actors";
    s.row = models::kActors;
    s.slide =
        "receive can say what it wants: the shop takes orders first and leaves the log lines in its mailbox, in "
        "the order they came, for later. Each client's messages arrive in the order it sent them; between two "
        "clients, any order can happen.";
    s.notes =
        "Pause (P) when the mailbox holds a log line and an order: the shop skips the log. The every-schedule "
        "beat, with 2 clients: orders 12 and 21 both appear, logs always keep each client's own order.";
    s.params = {{"clients", "clients", 1, 3, 2, "how many clients send", {}}};
    s.runs_on_real_threads = true;
    s.real_workers = 2;  // green threads: actors park in receive instead of blocking a thread
    // Three clients have too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings&) { return Claim{false, "every order is shipped before any log is written, in every schedule"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> { return std::make_unique<SelectiveRun>(settings, settings.params.at("clients")); };
    return s;
}

}  // namespace such::scenes
