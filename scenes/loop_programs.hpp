// The ordering puzzles of the event-loop section, written once as data: the
// scene runs them on our loop, shows them as JavaScript, and the tests run
// that JavaScript in node to compare the orders.
#pragma once
#include <string>
#include <vector>

#include "engine/event_loop.hpp"

namespace such::scenes::loop {

struct Op {
    enum Kind { Log, Timeout, Immediate, Tick, Promise, ReadFile };
    Kind kind;
    std::string text;       // Log: what it prints; others: the callback's name
    int ms = 0;             // Timeout
    std::vector<Op> body;   // what the callback does
};

struct Puzzle {
    std::string title;
    std::vector<Op> main;
    // Where node promises an order: all of it, or all but the relative order of
    // `free_a` and `free_b` (the timeout-or-immediate race from the main script).
    std::string free_a, free_b;
    std::string rule;  // the rule that decides the order, for the slide
};

const std::vector<Puzzle>& puzzles();

// True when the program uses only what browsers have too (setTimeout and
// promises; no setImmediate, nextTick or fs), so a browser can run it.
bool runs_in_browser(const std::vector<Op>& ops);
// The puzzle as a node program (console.log for Log).
std::string to_js(const std::vector<Op>& ops, int indent = 0);
// Its lines for the listing.
std::vector<std::string> js_lines(const std::vector<Op>& ops);
// The puzzle as our loop's main script; ReadFile completes when `file` is
// read (a network task writes it). With a listing (js_lines of the ops from
// line `first`), each callback runs on its body's lines there (EventLoop::at).
engine::Callback to_callback(const std::vector<Op>& ops, engine::Stream* file, int listing = engine::kNone, int first = 0);

}  // namespace such::scenes::loop
