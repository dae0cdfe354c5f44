// Scene "loop/timers": an event loop turning, phase by phase. The main script
// sets a timeout, an interval and an immediate, and watches a socket; the
// network writes two requests to the socket and closes it. The loop runs
// every callback on its one thread when its event comes, waits in poll when
// there is nothing to do (never longer than until the nearest timer), and
// stops when nothing is left.
// Models table row: evented (one thread, cooperative callbacks).
#include "scenes/loop_scene.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::EventLoop;

class TimersRun final : public Run {
public:
    TimersRun(const Settings& settings, int beat, bool proactor)
        : Run(settings), loop_("loop"), socket_("socket 4"), beat_(static_cast<std::uint64_t>(beat)), proactor_(proactor) {
        rt().add(loop_);
        rt().add(socket_);
        const std::string b = std::to_string(beat);
        listings_.push_back({"program (the main script)",
                             {"setTimeout(report, 25)", "beat = setInterval(heartbeat, " + b + ")  // cleared after 3 beats",
                              "setImmediate(greet)",
                              proactor ? "read(socket 4, onData)  // proactor: the loop reads, hands over the data"
                                       : "watch(socket 4, onReadable)  // reactor: the loop says readable, we read",
                              "  every request: reply with the same bytes"}});
        listings_.push_back(loop::loop_listing("event loop"));
        listings_.push_back(loop::network_listing("socket 4", arrivals_));
        loop_.at(loop::lines(0, 0, 4));  // the main script: the whole program
        rt().spawn("loop", 1, [this](Ctx& ctx) { return loop::loop_task(ctx, loop_, "main", [this](EventLoop& l) { script(l); }); });
        rt().spawn("network", 2, [this](Ctx& ctx) { return loop::network_task(ctx, socket_, arrivals_); });
    }

    std::string outcome_key() const override {
        return std::to_string(socket_.echoed().size()) + " requests echoed, " + std::to_string(beats_) + " beats" + (loop_.finished() ? ", the loop stopped" : "");
    }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, std::string(to_string(loop_.standing())) + " phase" + (loop_.current().empty() ? "" : ": running " + loop_.current())};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        const bool ok = socket_.echoed().size() == 2 && beats_ == 3;
        const std::uint64_t elapsed = is_real() ? static_cast<std::uint64_t>(real().seconds() * 1000) : sched().clock();
        return {true, !ok, "the loop stopped when nothing was left: " + loop::summary(loop_, elapsed)};
    }

private:
    // Each callback runs on its line of the program (loop::lines).
    void script(EventLoop& l) {
        l.at(loop::lines(0, 0, 0)).set_timeout("report", 25, [](EventLoop& x) { x.log("report"); });
        beat_id_ = l.at(loop::lines(0, 1, 1)).set_interval("heartbeat", beat_, [this](EventLoop& x) {
            x.log("beat");
            if (++beats_ == 3) x.clear_timer(beat_id_);
        });
        l.at(loop::lines(0, 2, 2)).set_immediate("greet", [](EventLoop& x) { x.log("hello"); });
        l.at(loop::lines(0, 4, 4));
        if (proactor_) {
            l.read(socket_, "socket 4", [this](EventLoop&, const std::string& data) {
                if (!data.empty()) socket_.reply(data);
            });
        } else {
            l.watch(socket_, "socket 4", [this](EventLoop& x) {
                const std::string data = socket_.read();
                if (data.empty()) {
                    x.unwatch(socket_);  // the end: stop watching
                } else {
                    socket_.reply(data);
                }
            });
        }
    }

    EventLoop loop_;
    engine::Stream socket_;
    std::uint64_t beat_;
    bool proactor_;
    std::uint64_t beat_id_ = 0;
    int beats_ = 0;
    const std::vector<loop::Arrival> arrivals_{{12, "GET /"}, {18, "GET /about"}, {15, ""}};
};

}  // namespace

Scene loop_timers() {
    Scene s;
    s.id = "loop/timers";
    s.title = "An event loop turning";
    s.section = "Evented";
    s.row = models::kEvented;
    s.slide =
        "One thread runs every callback, one at a time. Timers and watchers register what to do when something "
        "happens; the loop goes round its phases (timers, pending, idle, prepare, poll, check, close) and runs "
        "what is due. With nothing to do it waits in poll, but never past the nearest timer.";
    s.notes =
        "One turn of the loop: the timers phase runs what is due, poll waits for the socket or the next "
        "timer, check runs the immediate. V switches to proactor: the loop reads for you and hands over the "
        "data.";
    s.params = {
        {"beat", "heartbeat ms", 5, 20, 10, "the interval's period", {}},
        {"style", "I/O style", 0, 1, 0, "how the socket is watched", {"reactor", "proactor"}},
    };
    s.runs_on_real_threads = true;
    s.claims = [](const Settings&) { return Claim{false, "every request is echoed and the loop stops, in every schedule"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<TimersRun>(settings, settings.params.at("beat"), settings.params.at("style") == 1);
    };
    return s;
}

}  // namespace such::scenes
