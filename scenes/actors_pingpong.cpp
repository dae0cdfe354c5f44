// Scene "actors/pingpong": two actors bounce a counter. Each has an address
// and a mailbox; sending never waits, receiving waits for a message. Nothing
// is shared: the counter travels inside the messages.
// Models table row: actors (threads or VM processes, preemptive, messages to addresses).
#include "engine/actor.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

class PingPongRun final : public Run {
public:
    PingPongRun(const Settings& settings, int rounds)
        : Run(settings), ping_box_("<0.1> ping"), pong_box_("<0.2> pong"), rounds_(rounds * (settings.runtime == RuntimeKind::Real ? 20000 : 1)) {
        rt().add(ping_box_);
        rt().add(pong_box_);
        listings_.push_back({"ping", {"send(pong, ping(1))", "loop: receive pong(n) ->",
                                      "  if n == " + std::to_string(rounds_) + ": send(pong, stop); done"}});
        if (rounds_ > 1) listings_.back().lines.push_back("  send(pong, ping(n + 1))");  // one round never sends another
        listings_.push_back({"pong", {"loop: receive", "  ping(n) -> send(ping, pong(n))", "  stop -> done"}});
        ping_box_.set_owner(rt().spawn("ping", 0, [this](Ctx& ctx) { return ping(ctx); }));
        pong_box_.set_owner(rt().spawn("pong", 1, [this](Ctx& ctx) { return pong(ctx); }));
    }

    std::string outcome_key() const override { return "ping counted to " + std::to_string(last_) + ", pong answered " + std::to_string(answered_); }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, "n = " + std::to_string(last_) + "; in ping's mailbox " + std::to_string(ping_box_.messages().size()) +
                                               ", in pong's " + std::to_string(pong_box_.messages().size())};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        const bool ok = last_ == rounds_ && answered_ == rounds_;
        return {true, !ok, "ping counted to " + std::to_string(last_) + "; pong answered " + std::to_string(answered_) + " messages, every one once"};
    }

private:
    Task ping(Ctx& ctx) {
        co_await pong_box_.send(ctx.at(0), "ping", 1);
        for (;;) {
            const auto m = co_await ping_box_.receive(ctx.at(1), engine::tagged("pong"));
            last_ = m->value;
            ctx.set_local("n", last_);
            if (last_ >= rounds_) break;
            co_await pong_box_.send(ctx.at(3), "ping", m->value + 1);
        }
        co_await pong_box_.send(ctx.at(2), "stop");
    }
    Task pong(Ctx& ctx) {
        for (;;) {
            const auto m = co_await pong_box_.receive(ctx.at(0).through(2));  // the receive and its patterns
            if (m->tag == "stop") break;
            ++answered_;
            co_await ping_box_.send(ctx.at(1), "pong", m->value);
        }
    }

    engine::Mailbox ping_box_, pong_box_;
    std::int64_t rounds_;
    std::int64_t last_ = 0;
    std::int64_t answered_ = 0;
};

}  // namespace

Scene actors_pingpong() {
    Scene s;
    s.id = "actors/pingpong";
    s.title = "Actors: ping and pong";
    s.section = "Actors";
    s.row = models::kActors;
    s.slide =
        "An actor has an identity, an address, and a mailbox. Sending puts a message in the receiver's mailbox "
        "and never waits; the receiver takes messages one at a time, in its own time. Nothing is shared: the "
        "counter lives in the messages, so there is nothing to lock.";
    s.notes =
        "It plays by itself: ping's message lands in pong's mailbox, pong wakes and answers into ping's. "
        "Sending never waits. P pauses, '.' steps one message at a time.";
    s.params = {
        {"rounds", "rounds", 1, 8, 4, "how far ping counts (x 20,000 on real threads)", {}},
    };
    s.runs_on_real_threads = true;
    s.real_workers = 2;  // green threads: actors park in receive instead of blocking a thread
    // Eight rounds have too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings&) { return Claim{false, "every ping is answered once, and ping reaches the count, in every schedule"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<PingPongRun>(settings, settings.params.at("rounds"));
    };
    return s;
}

}  // namespace such::scenes
