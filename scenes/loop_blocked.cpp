// Scene "loop/blocked": one long callback blocks everything. A heartbeat
// timer should tick every 10 ms; a request arrives that needs 60 ms of
// computing. Done in the callback, every tick in those 60 ms fires late, and
// the lateness is drawn. The fixes: cut the work into 10 ms chunks, each
// queued with setImmediate so timers run in between; or hand it to the
// loop's thread pool, where a worker computes off the loop and posts the
// reply back. Computing is waiting for the clock (Scheduler::clock): the
// worker's 60 ms pass beside the loop's beats.
// Models table row: evented.
#include "scenes/loop_scene.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::EventLoop;

enum Fix { kNone = 0, kChunks = 1, kPool = 2 };
constexpr int kBeats = 10;
constexpr std::uint64_t kPeriod = 10, kWork = 60, kChunk = 5, kLate = 30;
constexpr engine::Place kOnRequest = loop::lines(0, 2, 2);

class BlockedRun final : public Run {
public:
    BlockedRun(const Settings& settings, int fix) : Run(settings), loop_("loop"), socket_("socket 4"), fix_(fix) {
        rt().add(loop_);
        rt().add(socket_);
        const char* handler[] = {"onRequest: compute 60 ms right here; reply",
                                 "onRequest: compute 5 ms, setImmediate(the next 5 ms)... 12 times; reply",
                                 "onRequest: queueWork(compute 60 ms) -> on the pool; when done: reply"};
        listings_.push_back({"program (the main script)",
                             {"setInterval(heartbeat, 10)  // " + std::to_string(kBeats) + " beats, each measures how late it is",
                              "watch(socket 4, onRequest)", handler[fix]}});
        listings_.push_back(loop::loop_listing("event loop"));
        listings_.push_back(loop::network_listing("socket 4", arrivals_));
        loop_.at(loop::lines(0, 0, 2));  // the main script: the whole program
        rt().spawn("loop", 1, [this](Ctx& ctx) { return loop::loop_task(ctx, loop_, "main", [this](EventLoop& l) { script(l); }); });
        rt().spawn("network", 2, [this](Ctx& ctx) { return loop::network_task(ctx, socket_, arrivals_); });
        if (fix == kPool) {
            listings_.push_back(loop::pool_listing());
            rt().spawn("pool worker", 3, [this](Ctx& ctx) { return loop::pool_task(ctx, loop_); });
        }
    }

    std::string outcome_key() const override {
        const loop::Late late = loop::lateness(loop_, kLate, "heartbeat");
        return late.over ? "a beat fired more than " + std::to_string(kLate) + " ms late" : "the heartbeat kept time";
    }

    Outcome scene_outcome() const override {
        const loop::Late late = loop::lateness(loop_, kLate, "heartbeat");
        const std::string beats = std::to_string(late.count) + " beats, the worst " + std::to_string(late.worst) + " ms late";
        if (!over()) return {false, false, beats + (loop_.current().empty() ? "" : "; running " + loop_.current())};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (socket_.echoed().empty()) return {true, true, "the request was never answered; " + beats};
        const bool bad = late.over > 0;
        return {true, bad,
                beats + (bad ? ": " + std::to_string(late.over) + " fired more than " + std::to_string(kLate) + " ms late while the loop was busy"
                             : ": the heartbeat kept time") +
                    "; the reply went out"};
    }

private:
    // The heartbeat runs on line 0 of the program; onRequest, its chunks and
    // the reply the pool posts back, on line 2.
    void script(EventLoop& l) {
        beat_id_ = l.at(loop::lines(0, 0, 0)).set_interval("heartbeat", kPeriod, [this](EventLoop& x) {
            if (++beats_ == kBeats) x.clear_timer(beat_id_);
        });
        l.at(kOnRequest).watch(socket_, "socket 4", [this](EventLoop& x) {
            const std::string req = socket_.read();
            if (req.empty()) {
                x.unwatch(socket_);
                return;
            }
            switch (fix_) {
            case kNone:
                x.busy(kWork);
                socket_.reply("done: " + req);
                break;
            case kChunks: chunk(x, req, kWork / kChunk); break;
            case kPool: x.at(kOnRequest).queue_work("compute", kWork, [this, req](EventLoop&) { socket_.reply("done: " + req); }); break;
            }
        });
    }
    // One chunk now; the rest after the loop has had a chance to run timers.
    void chunk(EventLoop& x, std::string req, std::uint64_t left) {
        x.busy(kChunk);
        if (left == 1) {
            socket_.reply("done: " + req);
            return;
        }
        x.at(kOnRequest).set_immediate("next chunk", [this, req, left](EventLoop& y) { chunk(y, req, left - 1); });
    }

    EventLoop loop_;
    engine::Stream socket_;
    int fix_;
    std::uint64_t beat_id_ = 0;
    int beats_ = 0;
    const std::vector<loop::Arrival> arrivals_{{25, "GET /report"}, {5, ""}};
};

}  // namespace

Scene loop_blocked() {
    Scene s;
    s.id = "loop/blocked";
    s.title = "Block the loop and everything waits";
    s.section = "Evented";
    s.row = models::kEvented;
    s.slide =
        "Callbacks take turns on one thread. A callback that computes for 60 ms holds the loop for 60 ms: no "
        "timer fires, no socket is read. Cut the work into 5 ms chunks and let the loop breathe between them, or "
        "hand it to a worker thread and get the answer back as an event.";
    s.notes =
        "It plays as is: the beat due at 30 ms fires 55 ms late, drawn in red, once the 60 ms that began at "
        "25 are over; an interval never fires the beats it missed. V for chunks: each beat is at most one "
        "chunk late. V for the thread pool: the beats keep time while the worker computes beside the loop.";
    s.params = {{"fix", "fix", 0, 2, 0, "how the request's 60 ms of work is done", {"none", "chunks", "thread pool"}}};
    s.runs_on_real_threads = true;
    s.claims = [](const Settings& st) {
        if (st.params.at("fix") == kNone) return Claim{true, "the heartbeat fires late while the request is computed"};
        if (st.params.at("fix") == kChunks) return Claim{false, "the heartbeat is never more than a chunk late"};
        return Claim{false, "the worker computes beside the loop: the heartbeat keeps time in every schedule"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> { return std::make_unique<BlockedRun>(settings, settings.params.at("fix")); };
    return s;
}

}  // namespace such::scenes
