// The ordering puzzles, their JavaScript, and their callbacks on our loop.
#include "scenes/loop_programs.hpp"

#include <algorithm>

namespace such::scenes::loop {

namespace {
Op log(std::string text) { return {Op::Log, std::move(text), 0, {}}; }
Op timeout(std::string name, int ms, std::vector<Op> body) { return {Op::Timeout, std::move(name), ms, std::move(body)}; }
Op immediate(std::string name, std::vector<Op> body) { return {Op::Immediate, std::move(name), 0, std::move(body)}; }
Op tick(std::string name, std::vector<Op> body) { return {Op::Tick, std::move(name), 0, std::move(body)}; }
Op promise(std::string name, std::vector<Op> body) { return {Op::Promise, std::move(name), 0, std::move(body)}; }
Op read_file(std::vector<Op> body) { return {Op::ReadFile, "readFile", 0, std::move(body)}; }
}  // namespace

const std::vector<Puzzle>& puzzles() {
    static const std::vector<Puzzle> all = {
        {"from the main script",
         {log("script start"), timeout("t", 0, {log("timeout")}), immediate("i", {log("immediate")}), tick("n", {log("next tick")}),
          promise("p", {log("promise")}), log("script end")},
         "timeout",
         "immediate",
         "The script runs to its end first. Then next ticks, then promise jobs. Timeout or immediate first? It "
         "depends on whether 1 ms has passed when the loop first looks at its timers: node promises no order."},
        {"inside an I/O callback",
         {read_file({timeout("t", 0, {log("timeout")}), immediate("i", {log("immediate")})})},
         "",
         "",
         "An I/O callback runs in the poll phase; the check phase (immediates) comes right after it, the timers "
         "only on the next turn. The immediate always wins."},
        {"ticks and promises nest",
         {tick("t1", {log("tick 1"), promise("p", {log("promise queued by tick 1")})}),
          promise("p1", {log("promise 1"), tick("t", {log("tick queued by promise 1")})})},
         "",
         "",
         "Every next tick runs before any promise job; a tick queued by a promise job waits until every promise "
         "job queued so far has run."},
        {"inside a timer",
         {timeout("outer", 0, {log("timeout"), immediate("i", {log("immediate")}), timeout("t", 0, {log("next timeout")}), tick("n", {log("tick")})})},
         "",
         "",
         "Inside a timer: the tick right after it, the immediate in this turn's check phase, the new timeout on "
         "the next turn."},
        {"timers by due time",
         {timeout("slow", 20, {log("slow")}), timeout("fast", 5, {log("fast")}), timeout("fast too", 5, {log("fast too")})},
         "",
         "",
         "Timers fire by due time; two due together fire in the order they were set."},
        {"timeouts and promises (a browser too)",
         {log("script start"), timeout("t1", 0, {log("timeout 1"), promise("p", {log("promise in timeout 1")})}),
          timeout("t2", 0, {log("timeout 2")}), promise("p1", {log("promise 1"), promise("p2", {log("promise 2")})}), log("script end")},
         "",
         "",
         "Promise jobs run as soon as the running script or callback ends, before the next timer: in node and in "
         "every browser alike."},
    };
    return all;
}

bool runs_in_browser(const std::vector<Op>& ops) {
    for (const Op& op : ops) {
        if (op.kind == Op::Immediate || op.kind == Op::Tick || op.kind == Op::ReadFile || !runs_in_browser(op.body)) return false;
    }
    return true;
}

std::string to_js(const std::vector<Op>& ops, int indent) {
    std::string out;
    for (const std::string& line : js_lines(ops)) out += std::string(static_cast<std::size_t>(indent), ' ') + line + "\n";
    return out;
}

std::vector<std::string> js_lines(const std::vector<Op>& ops) {
    std::vector<std::string> out;
    for (const Op& op : ops) {
        std::string open;
        switch (op.kind) {
        case Op::Log: out.push_back("console.log('" + op.text + "');"); continue;
        case Op::Timeout: open = "setTimeout(() => {"; break;
        case Op::Immediate: open = "setImmediate(() => {"; break;
        case Op::Tick: open = "process.nextTick(() => {"; break;
        case Op::Promise: open = "Promise.resolve().then(() => {"; break;
        case Op::ReadFile: open = "require('fs').readFile(__filename, () => {"; break;
        }
        out.push_back(open);
        for (const std::string& line : js_lines(op.body)) out.push_back("  " + line);
        out.push_back(op.kind == Op::Timeout ? "}, " + std::to_string(op.ms) + ");" : "});");
    }
    return out;
}

namespace {
// How many lines js_lines writes for these ops.
int js_size(const std::vector<Op>& ops) {
    int n = 0;
    for (const Op& op : ops) n += op.kind == Op::Log ? 1 : 2 + js_size(op.body);
    return n;
}
}  // namespace

engine::Callback to_callback(const std::vector<Op>& ops, engine::Stream* file, int listing, int first) {
    return [ops, file, listing, first](engine::EventLoop& l) {
        int line = first;  // where js_lines writes the op
        for (const Op& op : ops) {
            const int size = js_size(op.body);
            engine::Callback body = to_callback(op.body, file, listing, line + 1);
            if (listing != engine::kNone && op.kind != Op::Log) l.at({listing, line + 1, line + 1, line + std::max(size, 1)});
            line += op.kind == Op::Log ? 1 : 2 + size;
            switch (op.kind) {
            case Op::Log: l.log(op.text); break;
            case Op::Timeout: l.set_timeout(op.text, static_cast<std::uint64_t>(op.ms), body); break;
            case Op::Immediate: l.set_immediate(op.text, body); break;
            case Op::Tick: l.next_tick(op.text, body); break;
            case Op::Promise: l.queue_microtask(op.text, body); break;
            case Op::ReadFile:
                l.read(*file, op.text, [body](engine::EventLoop& x, const std::string& data) {
                    if (!data.empty()) body(x);
                });
                break;
            }
        }
    };
}

}  // namespace such::scenes::loop
