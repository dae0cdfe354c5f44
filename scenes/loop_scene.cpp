// The event-loop scenes' shared tasks and words.
#include "scenes/loop_scene.hpp"

#include <algorithm>

namespace such::scenes::loop {

Listing loop_listing(std::string title) {
    Listing l{std::move(title), {}};
    const char* lines[] = {"update the loop's time", "run due timers", "run deferred (pending) callbacks", "idle handles",
                           "prepare handles", "poll for I/O (wait until the nearest timer)", "check: run immediates", "run close callbacks"};
    for (const char* line : lines) l.lines.push_back(line);
    return l;
}

engine::Task loop_task(engine::Ctx& ctx, engine::EventLoop& loop, std::string main_name, engine::Callback main) {
    co_await loop.run(ctx, std::move(main_name), std::move(main));
}

engine::Task network_task(engine::Ctx& ctx, engine::Stream& s, std::vector<Arrival> arrivals) {
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
        const Arrival* a = &arrivals[i];
        co_await engine::SleepStep(ctx.at(static_cast<int>(2 * i)), a->after_ms);
        if (a->data.empty()) {
            co_await s.close(ctx.at(static_cast<int>(2 * i + 1)));
        } else {
            co_await s.write(ctx.at(static_cast<int>(2 * i + 1)), a->data);
        }
    }
}

Listing network_listing(const std::string& stream, const std::vector<Arrival>& arrivals) {
    Listing l{"network", {}};
    for (const Arrival& a : arrivals) {
        l.lines.push_back("sleep " + std::to_string(a.after_ms) + " ms");
        l.lines.push_back(a.data.empty() ? "close " + stream : "write \"" + a.data + "\" to " + stream);
    }
    return l;
}

engine::Task pool_task(engine::Ctx& ctx, engine::EventLoop& loop) { co_await loop.work_pool(ctx.at(0)); }

Listing pool_listing() { return {"pool worker", {"take work from the loop; compute; post the reply back"}}; }

std::string summary(const engine::EventLoop& loop, std::uint64_t elapsed_ms) {
    const auto st = loop.stats();
    std::uint64_t total = 0;
    for (auto c : st.callbacks) total += c;
    const auto at = [&](engine::LoopPhase p) { return st.callbacks[static_cast<std::size_t>(p)]; };
    std::string s = std::to_string(st.iterations) + " turns, " + std::to_string(total) + " callbacks (timers " +
                    std::to_string(at(engine::LoopPhase::Timers)) + ", poll " + std::to_string(at(engine::LoopPhase::Poll)) + ", check " +
                    std::to_string(at(engine::LoopPhase::Check)) + ") and " + std::to_string(st.ticks + st.microtasks) + " ticks or promise jobs";
    if (elapsed_ms > 0) s += "; " + std::to_string(st.blocked_ms) + " of " + std::to_string(elapsed_ms) + " ms waiting in poll";
    return s;
}

Late lateness(const engine::EventLoop& loop, std::uint64_t late_ms, const std::string& only) {
    Late out;
    for (const auto& l : loop.lateness()) {
        if (!only.empty() && l.name != only) continue;
        const std::uint64_t late = l.fired - l.due;
        out.worst = std::max(out.worst, late);
        ++out.count;
        out.over += late > late_ms;
    }
    return out;
}

}  // namespace such::scenes::loop
