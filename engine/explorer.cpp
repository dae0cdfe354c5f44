// Depth-first exploration of schedules with sleep sets and preemption bounding.
#include "engine/explorer.hpp"

#include <algorithm>
#include <chrono>

namespace such::engine {
namespace {

// A task's next step as seen from a node: what it will touch and how.
struct NextStep {
    TaskId task;
    ObjectId object;
    EventKind kind;
};

bool is_read(EventKind k) { return k == EventKind::Read; }

// Two steps commute when they touch different objects, or both only read.
// A condition wait touches its mutex as well as the condition: it is treated
// as dependent on everything, which is safe (it only costs reduction).
bool independent(const NextStep& a, const NextStep& b) {
    if (a.kind == EventKind::CondWait || b.kind == EventKind::CondWait) return false;
    if (a.object == kNone || b.object == kNone) return true;
    if (a.object != b.object) return true;
    return is_read(a.kind) && is_read(b.kind);
}

struct Node {
    std::vector<NextStep> enabled;  // ready tasks and their next steps
    std::vector<NextStep> sleep;    // asleep here: exploring them adds nothing new
    std::vector<TaskId> done;       // choices already explored from here
    TaskId chosen = kNone;
    TaskId previous = kNone;        // the task that took the step before this node
    int preemptions = 0;            // preemptions spent before this node
};

const NextStep* find_step(const std::vector<NextStep>& v, TaskId t) {
    const auto it = std::find_if(v.begin(), v.end(), [t](const NextStep& s) { return s.task == t; });
    return it == v.end() ? nullptr : &*it;
}

Node make_node(const Scheduler& s, TaskId previous, int preemptions) {
    Node n;
    n.previous = previous;
    n.preemptions = preemptions;
    for (TaskId t : s.runnable()) {
        const TaskView v = s.task(t);
        n.enabled.push_back({t, v.next_object, v.next});
    }
    return n;
}

bool previous_enabled(const Node& n) { return n.previous != kNone && find_step(n.enabled, n.previous); }

int cost(const Node& n, TaskId t) { return previous_enabled(n) && t != n.previous ? 1 : 0; }

// The next choice to explore at a node, or kNone. The previous task first:
// schedules without preemptions come before those with.
TaskId next_choice(const Node& n, const ExploreOptions& o) {
    std::vector<TaskId> order;
    if (previous_enabled(n)) order.push_back(n.previous);
    for (const NextStep& s : n.enabled) {
        if (s.task != n.previous) order.push_back(s.task);
    }
    for (TaskId t : order) {
        if (std::find(n.done.begin(), n.done.end(), t) != n.done.end()) continue;
        if (o.reduce && find_step(n.sleep, t)) continue;
        if (o.preemption_bound >= 0 && n.preemptions + cost(n, t) > o.preemption_bound) continue;
        return t;
    }
    return kNone;
}

// The sleep set of the node reached by taking `taken` at `parent`: what slept
// there or was already explored there, and commutes with the step taken.
std::vector<NextStep> child_sleep(const Node& parent, TaskId taken) {
    std::vector<NextStep> out;
    const NextStep* step = find_step(parent.enabled, taken);
    const auto keep = [&](const NextStep& s) {
        if (s.task != taken && independent(s, *step)) out.push_back(s);
    };
    for (const NextStep& s : parent.sleep) keep(s);
    for (TaskId t : parent.done) {
        if (const NextStep* s = find_step(parent.enabled, t)) keep(*s);
    }
    return out;
}

}  // namespace

struct Explorer::State {
    std::vector<Node> stack;
};

Explorer::Explorer(Make make, ExploreOptions options)
    : make_(std::move(make)), options_(std::move(options)), state_(std::make_unique<State>()) {}
Explorer::~Explorer() = default;

std::size_t Explorer::depth() const { return state_->stack.size(); }

bool Explorer::advance(std::uint64_t runs) {
    if (finished_) return false;
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    std::vector<Node>& stack = state_->stack;
    ExploreResult& result = result_;
    const auto record = [&](const std::string& key, bool bad, const std::vector<TaskId>& choices) {
        auto it = std::find_if(result.outcomes.begin(), result.outcomes.end(), [&](const Outcome& o) { return o.outcome == key; });
        if (it == result.outcomes.end()) {
            result.outcomes.push_back({key, bad, 0, choices});
            it = result.outcomes.end() - 1;
        }
        ++it->executions;
    };
    const auto add_finding = [&](std::string kind, std::string detail, const std::vector<TaskId>& choices) {
        for (const Finding& f : result.findings) {
            if (f.kind == kind && f.detail == detail) return;
        }
        if (result.findings.size() < 50) result.findings.push_back({std::move(kind), std::move(detail), choices});
    };

    for (std::uint64_t done = 0; done < runs; ++done) {
        // Re-run the program along the stack's choices...
        std::unique_ptr<Explorable> run = make_();
        Scheduler& s = run->sched();
        for (const Node& n : stack) s.step_task(n.chosen);
        // ...then extend it with first choices to the end.
        bool pruned = false;
        while (s.verdict() == Verdict::Running && s.steps() < options_.max_depth) {
            Node n = stack.empty() ? make_node(s, kNone, 0)
                                   : make_node(s, stack.back().chosen, stack.back().preemptions + cost(stack.back(), stack.back().chosen));
            if (!stack.empty() && options_.reduce) n.sleep = child_sleep(stack.back(), stack.back().chosen);
            n.chosen = next_choice(n, options_);
            if (n.chosen == kNone) {
                pruned = true;  // every enabled task is asleep or over the bound
                break;
            }
            stack.push_back(std::move(n));
            s.step_task(stack.back().chosen);
        }
        result.max_depth = std::max(result.max_depth, stack.size());
        if (pruned) {
            ++result.pruned;
        } else {
            ++result.executions;
            const std::vector<TaskId>& choices = s.choices();
            if (s.verdict() == Verdict::Deadlock) {
                record("deadlock", true, choices);
                add_finding("deadlock", s.verdict_detail(), choices);
            } else if (s.verdict() == Verdict::Running) {
                record("no end within " + std::to_string(options_.max_depth) + " steps", true, choices);
                add_finding("livelock?", "still running after " + std::to_string(options_.max_depth) + " steps", choices);
            } else {
                const bool bad = run->bad();
                const std::string key = run->outcome();
                record(key, bad, choices);
                if (bad) add_finding("violation", key, choices);
            }
        }
        // Backtrack to the deepest node with a choice left.
        while (!stack.empty()) {
            Node& top = stack.back();
            top.done.push_back(top.chosen);
            top.chosen = next_choice(top, options_);
            if (top.chosen != kNone) break;
            stack.pop_back();
        }
        if (stack.empty()) {
            finish();
            break;
        }
        const double elapsed = elapsed_ + std::chrono::duration<double>(Clock::now() - start).count();
        const auto total = result.executions + result.pruned;
        if (total >= options_.max_executions) {
            result.complete = false;
            result.bounded_by = "the execution limit (" + std::to_string(options_.max_executions) + ")";
        } else if (elapsed > options_.time_limit_s) {
            result.complete = false;
            result.bounded_by = "the time limit (" + std::to_string(static_cast<int>(options_.time_limit_s)) + " s)";
        } else if (cancel_requested_ ||
                   (options_.progress && total % 64 == 0 && !options_.progress(result.executions, stack.size()))) {
            result.complete = false;
            result.bounded_by = "cancelled";
        }
        if (!result.bounded_by.empty()) {
            finish();
            break;
        }
    }
    elapsed_ += std::chrono::duration<double>(Clock::now() - start).count();
    result.seconds = elapsed_;
    return !finished_;
}

void Explorer::finish() {
    finished_ = true;
    state_->stack.clear();
    if (options_.preemption_bound >= 0 && result_.bounded_by.empty()) {
        result_.complete = false;
        result_.bounded_by = "the preemption bound (" + std::to_string(options_.preemption_bound) + ")";
    }
}

ExploreResult explore(const Explorer::Make& make, const ExploreOptions& options) {
    Explorer e(make, options);
    while (e.advance(1024)) {
    }
    return e.result();
}

}  // namespace such::engine
