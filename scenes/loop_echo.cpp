// Scene "loop/echo": the same echo server written both ways, on one loop.
// Reactor (socket 4): the loop says "socket 4 is readable"; the callback
// reads (which cannot block now) and writes the bytes back. Proactor
// (socket 5): the program asks for a read and passes a callback; the loop
// does the read and hands the callback the bytes. The network sends the
// same requests to both at the same moments; both echo the same bytes.
// Models table row: evented.
#include "scenes/loop_scene.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::EventLoop;
using engine::Task;

class EchoRun final : public Run {
public:
    EchoRun(const Settings& settings, int requests) : Run(settings), loop_("loop"), reactor_("socket 4 (reactor)"), proactor_("socket 5 (proactor)"), requests_(requests) {
        rt().add(loop_);
        rt().add(reactor_);
        rt().add(proactor_);
        listings_.push_back({"program (the main script)",
                             {"watch(socket4, () => {  // reactor: the loop says socket 4 is readable", "  data = read(socket4)  // ready: this read cannot block",
                              "  if (!data) unwatch(socket4)  // the end", "  else write(socket4, data)", "})",
                              "read(socket5, (data) => {  // proactor: ask for a read; the loop does it", "  if (data) write(socket5, data)  // and hands us the bytes",
                              "})"}});
        listings_.push_back(loop::loop_listing("event loop"));
        listings_.push_back({"network", {"sleep 6 ms", "send the same request to socket 4 and socket 5", "(after the last one) close both"}});
        loop_.at(loop::lines(0, 0, 7));  // the main script: the whole program
        rt().spawn("loop", 1, [this](Ctx& ctx) { return loop::loop_task(ctx, loop_, "main", [this](EventLoop& l) { serve(l); }); });
        rt().spawn("network", 2, [this](Ctx& ctx) { return network(ctx); });
    }

    std::string outcome_key() const override {
        return std::to_string(reactor_.echoed().size()) + " and " + std::to_string(proactor_.echoed().size()) + " echoed" + (same() ? ", the same" : ", different");
    }

    Outcome scene_outcome() const override {
        const std::string counts = "reactor echoed " + std::to_string(reactor_.echoed().size()) + ", proactor " + std::to_string(proactor_.echoed().size());
        if (!over()) return {false, false, "running: " + counts};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        const bool ok = same() && static_cast<int>(reactor_.echoed().size()) == requests_;
        return {true, !ok, counts + (ok ? ": the same bytes, in the same order, both ways" : ": they differ")};
    }

private:
    bool same() const { return reactor_.echoed() == proactor_.echoed(); }

    // Each callback runs its body's lines of the program.
    void serve(EventLoop& l) {
        l.at(loop::lines(0, 1, 3)).watch(reactor_, "socket 4", [this](EventLoop& x) {
            const std::string data = reactor_.read();
            if (data.empty()) {
                x.unwatch(reactor_);
            } else {
                reactor_.reply(data);
            }
        });
        l.at(loop::lines(0, 6, 6)).read(proactor_, "socket 5", [this](EventLoop&, const std::string& data) {
            if (!data.empty()) proactor_.reply(data);
        });
    }

    Task network(Ctx& ctx) {
        for (int i = 1; i <= requests_; ++i) {
            co_await engine::SleepStep(ctx.at(0), 6);
            const std::string req = "GET /" + std::to_string(i);
            co_await reactor_.write(ctx.at(1), req);
            co_await proactor_.write(ctx.at(1), req);
        }
        co_await reactor_.close(ctx.at(2));
        co_await proactor_.close(ctx.at(2));
    }

    EventLoop loop_;
    engine::Stream reactor_, proactor_;
    int requests_;
};

}  // namespace

Scene loop_echo() {
    Scene s;
    s.id = "loop/echo";
    s.title = "Reactor and proactor: one echo server, two ways";
    s.section = "Evented";
    s.row = models::kEvented;
    s.slide =
        "Reactor: the loop tells you a socket is ready, and you do the read, which now cannot block (select, "
        "epoll, kqueue). Proactor: you start the read and hand over a callback; the loop does the work and calls "
        "you with the result (Windows completion ports, io_uring). Same server, same bytes.";
    s.notes =
        "The reactor's callback runs on 'readable' and reads; the proactor's runs with the data already read. "
        "At the end the reactor sees an empty read and stops watching; the proactor's read just ends. V sends "
        "more requests.";
    s.params = {{"requests", "requests", 1, 6, 3, "how many requests the network sends to each", {}}};
    s.runs_on_real_threads = true;
    // Too many schedules to finish past one request: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings&) { return Claim{false, "both servers echo the same bytes, in every schedule"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> { return std::make_unique<EchoRun>(settings, settings.params.at("requests")); };
    return s;
}

}  // namespace such::scenes
