// Depth-first exploration of schedules: sleep sets, source-set DPOR, preemption bounding.
#include "engine/explorer.hpp"

#include <algorithm>
#include <chrono>

namespace such::engine {
namespace {

// A task's next step as seen from a node: what it will touch and how.
struct NextStep {
    TaskId task;
    ObjectId object;
    Access access;
};

// Two steps commute when either is task-local, when they touch different
// objects, or when both only read. A step that touches many objects is
// treated as dependent on every shared step, which is safe (it only costs
// reduction).
bool independent(const NextStep& a, const NextStep& b) {
    if (a.object == kNone || b.object == kNone) return true;
    if (a.access == Access::Many || b.access == Access::Many) return false;
    if (a.object != b.object) return true;
    return a.access == Access::Read && b.access == Access::Read;
}

struct Node {
    std::vector<NextStep> enabled;  // ready tasks and their next steps
    std::vector<NextStep> sleep;    // asleep here: exploring them adds nothing new
    std::vector<TaskId> done;       // choices already explored from here
    std::vector<TaskId> backtrack;  // DPOR: choices that must be explored from here
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
        n.enabled.push_back({t, v.next_object, v.next_access});
    }
    return n;
}

bool previous_enabled(const Node& n) { return n.previous != kNone && find_step(n.enabled, n.previous); }

int cost(const Node& n, TaskId t) { return previous_enabled(n) && t != n.previous ? 1 : 0; }

using Reduction = ExploreOptions::Reduction;

bool contains(const std::vector<TaskId>& v, TaskId t) { return std::find(v.begin(), v.end(), t) != v.end(); }

// The next choice to explore at a node, or kNone. The previous task first:
// schedules without preemptions come before those with. With DPOR a node that
// has explored one choice explores only those its backtrack set asks for.
TaskId next_choice(const Node& n, const ExploreOptions& o) {
    std::vector<TaskId> order;
    if (previous_enabled(n)) order.push_back(n.previous);
    for (const NextStep& s : n.enabled) {
        if (s.task != n.previous) order.push_back(s.task);
    }
    for (TaskId t : order) {
        if (contains(n.done, t)) continue;
        if (o.reduction != Reduction::None && find_step(n.sleep, t)) continue;
        if (o.preemption_bound >= 0 && n.preemptions + cost(n, t) > o.preemption_bound) continue;
        if (o.reduction == Reduction::Dpor && !n.done.empty() && !contains(n.backtrack, t)) continue;
        return t;
    }
    return kNone;
}

// DPOR's race analysis, with source sets (Abdulla et al., "Source Sets",
// JACM 2017). For each race in the execution on the stack, a step j and a
// later step i of another task that depend on each other with nothing else
// ordering them, the node before j must explore a schedule that reverses it:
// v = the steps after j that do not depend on j, then step i. Some task that
// can start v (an "initial" of v) must be in that node's backtrack set; if
// none is yet, the first one is added. Unlike adding i's own task, this stays
// correct when that task sleeps there (its reversal is then led by another).
void add_backtracks(std::vector<Node>& stack) {
    const std::size_t n = stack.size();
    if (n < 2) return;
    std::vector<const NextStep*> step(n);
    TaskId tasks = 0;
    for (std::size_t i = 0; i < n; ++i) {
        step[i] = find_step(stack[i].enabled, stack[i].chosen);
        for (const NextStep& e : stack[i].enabled) tasks = std::max(tasks, e.task + 1);
    }
    const auto width = static_cast<std::size_t>(tasks);
    const auto direct = [&](std::size_t a, std::size_t b) {  // a before b, ordered by program or data
        return step[a]->task == step[b]->task || !independent(*step[a], *step[b]);
    };
    // hb[i][t]: the latest step of task t that happens before (or is) step i; -1 if none.
    std::vector<std::vector<std::int64_t>> hb(n, std::vector<std::int64_t>(width, -1));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < i; ++k) {
            if (!direct(k, i)) continue;
            for (std::size_t t = 0; t < width; ++t) hb[i][t] = std::max(hb[i][t], hb[k][t]);
        }
        hb[i][static_cast<std::size_t>(step[i]->task)] = static_cast<std::int64_t>(i);
    }
    const auto before = [&](std::size_t a, std::size_t b) {  // a happens before b (a < b)
        return hb[b][static_cast<std::size_t>(step[a]->task)] >= static_cast<std::int64_t>(a);
    };
    for (std::size_t i = 1; i < n; ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (step[j]->task == step[i]->task || independent(*step[j], *step[i])) continue;
            // A race only if nothing between them carries j's effect to i.
            bool ordered = false;
            for (std::size_t k = j + 1; k < i && !ordered; ++k) ordered = direct(k, i) && before(j, k);
            if (ordered) continue;
            // v: the steps after j that do not happen after j, then i.
            std::vector<std::size_t> v;
            for (std::size_t k = j + 1; k < i; ++k) {
                if (!before(j, k)) v.push_back(k);
            }
            v.push_back(i);
            // Its initials: tasks whose first step in v has no predecessor in v.
            std::vector<TaskId> initials;
            for (std::size_t x = 0; x < v.size(); ++x) {
                bool first = true;
                for (std::size_t y = 0; y < x && first; ++y) first = !before(v[y], v[x]);
                if (first && !contains(initials, step[v[x]]->task)) initials.push_back(step[v[x]]->task);
            }
            Node& at = stack[j];
            const bool covered = std::any_of(initials.begin(), initials.end(), [&](TaskId t) { return contains(at.backtrack, t); });
            if (covered) continue;
            // Prefer i's own task when it can start v, then v's order.
            const TaskId pick = contains(initials, step[i]->task) ? step[i]->task : initials.front();
            if (find_step(at.enabled, pick)) at.backtrack.push_back(pick);
        }
    }
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
            if (!stack.empty() && options_.reduction != Reduction::None) n.sleep = child_sleep(stack.back(), stack.back().chosen);
            n.chosen = next_choice(n, options_);
            n.backtrack.push_back(n.chosen);
            if (n.chosen == kNone) {
                pruned = true;  // every enabled task is asleep or over the bound
                break;
            }
            stack.push_back(std::move(n));
            s.step_task(stack.back().chosen);
        }
        result.max_depth = std::max(result.max_depth, stack.size());
        if (options_.reduction == Reduction::Dpor) add_backtracks(stack);
        if (pruned) {
            ++result.pruned;
        } else {
            ++result.executions;
            if (options_.on_execution) options_.on_execution(s);
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
