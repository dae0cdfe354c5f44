// What the event-loop scenes share: the loop's task and its listing (one
// line per phase), the network that writes to a stream at set times, a
// worker of the loop's thread pool, and a summary of a finished loop.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/event_loop.hpp"
#include "scenes/scene.hpp"

namespace such::scenes::loop {

// The loop task's listing: line p phase p (as EventLoop::run marks them).
// The main script and the callbacks run on their own lines in the program's
// listing (EventLoop::at): lines(listing, first, last).
Listing loop_listing(std::string title);
constexpr engine::Place lines(int listing, int first, int last) { return {listing, first, first, last}; }
engine::Task loop_task(engine::Ctx& ctx, engine::EventLoop& loop, std::string main_name, engine::Callback main);

struct Arrival {
    std::uint64_t after_ms;  // since the previous one
    std::string data;        // "" closes the stream
};
engine::Task network_task(engine::Ctx& ctx, engine::Stream& s, std::vector<Arrival> arrivals);
Listing network_listing(const std::string& stream, const std::vector<Arrival>& arrivals);

// A worker of the loop's pool and its one-line listing.
engine::Task pool_task(engine::Ctx& ctx, engine::EventLoop& loop);
Listing pool_listing();

// "3 turns, 9 callbacks (timers 4, poll 2, check 3), 41 of 60 ms waiting in poll".
std::string summary(const engine::EventLoop& loop, std::uint64_t elapsed_ms);
// The latest timer's lateness, the worst, and how many were late by more than `late_ms`.
struct Late {
    std::uint64_t worst = 0;
    std::size_t count = 0, over = 0;
};
Late lateness(const engine::EventLoop& loop, std::uint64_t late_ms, const std::string& only = "");

}  // namespace such::scenes::loop
