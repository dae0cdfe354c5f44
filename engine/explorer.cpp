// Depth-first exploration of schedules: sleep sets, optimal DPOR with wakeup
// trees, preemption bounding; and the hunt before it (iterative preemption
// bounding, random priorities).
//
// Index:
// - [SECTION] Steps and their dependence
// - [SECTION] Wakeup trees
// - [SECTION] Nodes and choices
// - [SECTION] Race reversal
// - [SECTION] The search
#include "engine/explorer.hpp"

#include <algorithm>
#include <limits>
#include "engine/rng.hpp"
#include "engine/state_search.hpp"
#include <chrono>
#include <cstdio>
#include <cstddef>
#include <utility>

namespace such::engine {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Steps and their dependence
//-----------------------------------------------------------------------------

// A task's next step as seen from a node: what it will touch and how, and
// how it stands to guards on that object (Step::has_guard, opens_guards).
struct NextStep {
    TaskId task;
    ObjectId object;
    Access access;
    EventKind kind = EventKind::Compute;
    bool has_guard = false;
    bool opens = false;
};

NextStep next_step(const Scheduler& s, TaskId t) {
    const TaskView v = s.task(t);
    // A step on its task's own record (a woken receive collecting its value)
    // is task-local; its waker orders it (Node::woke).
    if (v.next_access == Access::Own) return {t, kNone, Access::Write, v.next, false, false};
    return {t, v.next_object, v.next_access, v.next, v.next_has_guard, v.next_opens_guards};
}

// A mutex's critical section: the steps that take a mutex (a trylock too,
// which never waits) and those that end the section (a condition wait gives
// back its mutex).
bool takes(EventKind k) { return k == EventKind::LockAcquire || k == EventKind::TryLock; }
bool ends_section(EventKind k) { return k == EventKind::Unlock || k == EventKind::CondWait; }

// Two steps commute when either is task-local, when they touch different
// objects, or when both only read. A step that touches many objects is
// treated as dependent on every shared step, which is safe (it only costs
// reduction) -- also when it names no object of its own (a select, an
// await over shared variables): only a step with no object and no Many
// access is task-local.
bool independent(const NextStep& a, const NextStep& b) {
    const bool a_local = a.object == kNone && a.access != Access::Many;
    const bool b_local = b.object == kNone && b.access != Access::Many;
    if (a_local || b_local) return true;
    if (a.access == Access::Many || b.access == Access::Many) return false;
    if (a.object != b.object) return true;
    return a.access == Access::Read && b.access == Access::Read;
}

// Ordered in every schedule: steps of one task, or steps that do not commute.
bool dependent(const NextStep& a, const NextStep& b) { return a.task == b.task || !independent(a, b); }

//-----------------------------------------------------------------------------
// [SECTION] Wakeup trees
//-----------------------------------------------------------------------------

// A wakeup tree (Abdulla et al., "Optimal Dynamic Partial Order Reduction",
// POPL 2014): the schedules a node still owes, as an ordered tree of steps,
// explored leftmost first. Each leaf is a sequence that reverses a race found
// in an earlier execution; following it, rather than just its first step,
// keeps the run clear of the sleep set, so no run is cut short half way.
struct Branch {
    NextStep step;
    std::vector<Branch> children;
    bool stands_for_others = false;  // insert() filed another sequence under it
};
using WakeupTree = std::vector<Branch>;

// Whether step p can begin the sequence v, up to reordering steps that
// commute (p is a "weak initial" of v): kNo if not; kBeside if p's task has
// no step in v and p commutes with all of v; otherwise the index of p's
// task's first step in v, which nothing before it in v depends on. (p is that
// step: both are the task's next step from the same state.)
constexpr std::ptrdiff_t kNo = -2, kBeside = -1;
std::ptrdiff_t begins(const NextStep& p, const std::vector<NextStep>& v) {
    for (std::size_t x = 0; x < v.size(); ++x) {
        if (v[x].task == p.task) return static_cast<std::ptrdiff_t>(x);
        if (!independent(p, v[x])) return kNo;
    }
    return kBeside;
}

// Adds v to the tree unless a branch already leads to it: from the root,
// follow the leftmost child that can begin what is left of v (taking its step
// out of v). Reaching a leaf, or using up v, means exploring that branch
// reverses the race too; otherwise the rest of v becomes a new rightmost
// branch where the walk stopped.
void insert(WakeupTree& tree, std::vector<NextStep> v) {
    WakeupTree* at = &tree;
    while (!v.empty()) {
        Branch* next = nullptr;
        for (Branch& b : *at) {
            const std::ptrdiff_t k = begins(b.step, v);
            if (k == kNo) continue;
            if (k >= 0) v.erase(v.begin() + k);
            next = &b;
            break;
        }
        if (next == nullptr) break;
        next->stands_for_others = true;
        if (next->children.empty()) return;
        at = &next->children;
    }
    for (const NextStep& s : v) {
        at->push_back({s, {}, false});
        at = &at->back().children;
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Nodes and choices
//-----------------------------------------------------------------------------

struct Node {
    std::vector<NextStep> enabled;  // ready tasks and their next steps
    std::vector<TaskId> guarded;    // ready tasks whose next step waits at a guard (a lock on a held mutex)
    std::vector<TaskId> woke;       // tasks the chosen step woke: their next steps happen after it
    std::vector<NextStep> sleep;    // asleep here: exploring them adds nothing new
    std::vector<TaskId> done;       // choices already explored from here
    WakeupTree wakeup;              // DPOR: what is left to explore; front() is `chosen`
    TaskId chosen = kNone;
    NextStep step{kNone, kNone, Access::Write, EventKind::Compute};  // the chosen task's step
    std::vector<std::int64_t> clock;  // DPOR: per task, its latest step that happens before (or is) this one
    TaskId previous = kNone;        // the task that took the step before this node
    std::vector<TaskId> holders;    // a cooperative search: the tasks that hold a core here
    int preemptions = 0;            // preemptions spent before this node
    bool clock_moved = false;       // after the step no task could step: the clock moved and timers fired
    bool every_choice = false;      // DPOR: a reversal could not start here; explore every choice (first_branch)
    // The select picks the chosen step made, and among how many each chose:
    // the node explores every combination before its next choice.
    std::vector<std::uint64_t> picks, pick_counts;
};

// The next combination of the node's picks (the last pick first; the picks
// after it are left to their default, 0); false when every one was explored.
bool next_picks(Node& n) {
    for (std::size_t i = n.picks.size(); i-- > 0;) {
        if (n.picks[i] + 1 < n.pick_counts[i]) {
            ++n.picks[i];
            n.picks.resize(i + 1);
            n.pick_counts.resize(i + 1);
            return true;
        }
    }
    return false;
}

const NextStep* find_step(const std::vector<NextStep>& v, TaskId t) {
    const auto it = std::find_if(v.begin(), v.end(), [t](const NextStep& s) { return s.task == t; });
    return it == v.end() ? nullptr : &*it;
}

int cost(const Node& n, TaskId t);

// The node after the parent's chosen step (none: the first), with the
// preemptions spent to reach it. A cooperative search (o.cooperative_cores)
// also says who holds the cores: the parent's holders and the task that just
// stepped, less those that yielded, blocked or ended.
Node make_node(const Scheduler& s, const Node* parent, const ExploreOptions& o) {
    Node n;
    n.previous = parent ? parent->chosen : kNone;
    n.preemptions = parent ? parent->preemptions + cost(*parent, parent->chosen) : 0;
    if (o.cooperative_cores > 0 && parent) {
        const auto keeps = [&s](TaskId t) { return s.can_step(t) && !s.yielded(t); };
        for (TaskId t : parent->holders) {
            if (t != parent->chosen && keeps(t)) n.holders.push_back(t);
        }
        if (keeps(parent->chosen)) n.holders.push_back(parent->chosen);
    }
    // A node is made at every step of every execution: its list takes room
    // for every task at once rather than growing by doubling.
    n.enabled.reserve(s.task_count());
    for (std::size_t i = 0; i < s.task_count(); ++i) {
        const auto t = static_cast<TaskId>(i);
        if (s.can_step(t)) n.enabled.push_back(next_step(s, t));
        if (s.at_guard(t)) n.guarded.push_back(t);
    }
    return n;
}

bool previous_enabled(const Node& n) { return n.previous != kNone && find_step(n.enabled, n.previous); }

int cost(const Node& n, TaskId t) { return previous_enabled(n) && t != n.previous ? 1 : 0; }

using Reduction = ExploreOptions::Reduction;

// Whether the node may take task t: ready, not explored from here yet, not
// asleep, within the preemption bound.
bool allowed(const Node& n, TaskId t, const ExploreOptions& o) {
    if (!find_step(n.enabled, t) || has_task(n.done, t)) return false;
    if (o.reduction != Reduction::None && find_step(n.sleep, t)) return false;
    // Cooperatively, a task without a core steps only when one is free.
    if (o.cooperative_cores > 0 && !has_task(n.holders, t) && n.holders.size() >= static_cast<std::size_t>(o.cooperative_cores)) return false;
    return o.preemption_bound < 0 || n.preemptions + cost(n, t) <= o.preemption_bound;
}

// The next choice where nothing says which: the previous task first, so that
// schedules without preemptions come before those with; kNone if none is left.
TaskId first_allowed(const Node& n, const ExploreOptions& o) {
    if (previous_enabled(n) && allowed(n, n.previous, o)) return n.previous;
    for (const NextStep& s : n.enabled) {
        if (s.task != n.previous && allowed(n, s.task, o)) return s.task;
    }
    return kNone;
}

// DPOR: the wakeup tree's leftmost branch the node can take. Branches it
// cannot take are dropped: they reverse a race that cannot be reversed (a
// lock handed over on unlock can only be taken after the unlock) or go over
// the preemption bound. A branch
// dropped because its task cannot step here may have stood for other
// reversals too (insert() files a sequence under the first branch that can
// begin it); then the node explores every choice it has left, as a search
// with sleep sets alone would, so that none of them is lost.
TaskId first_branch(Node& n, const ExploreOptions& o) {
    while (!n.wakeup.empty() && !allowed(n, n.wakeup.front().step.task, o)) {
        const Branch& b = n.wakeup.front();
        if (b.stands_for_others && !find_step(n.enabled, b.step.task)) n.every_choice = true;
        n.wakeup.erase(n.wakeup.begin());
    }
    if (n.wakeup.empty() && n.every_choice) {
        if (const TaskId t = first_allowed(n, o); t != kNone) n.wakeup.assign(1, Branch{*find_step(n.enabled, t), {}, false});
    }
    return n.wakeup.empty() ? kNone : n.wakeup.front().step.task;
}

// The first choice at a node just reached. With DPOR it follows the wakeup
// tree it inherited; with none (or none it can take), any choice starts one.
TaskId first_choice(Node& n, const ExploreOptions& o) {
    if (o.reduction == Reduction::Dpor && first_branch(n, o) != kNone) return n.wakeup.front().step.task;
    const TaskId t = first_allowed(n, o);
    if (o.reduction == Reduction::Dpor && t != kNone) n.wakeup.assign(1, Branch{*find_step(n.enabled, t), {}, false});
    return t;
}

// The choice after `chosen` has been explored: with DPOR the next branch of
// the wakeup tree, and nothing else.
TaskId next_choice(Node& n, const ExploreOptions& o) {
    n.done.push_back(n.chosen);
    if (o.reduction != Reduction::Dpor) return first_allowed(n, o);
    n.wakeup.erase(n.wakeup.begin());
    return first_branch(n, o);
}

// The sleep set of the node reached by taking `chosen` at `parent`: what
// slept there or was already explored there, and commutes with that step.
std::vector<NextStep> child_sleep(const Node& parent) {
    std::vector<NextStep> out;
    const auto keep = [&](const NextStep& s) {
        if (s.task != parent.chosen && independent(s, parent.step)) out.push_back(s);
    };
    for (const NextStep& s : parent.sleep) keep(s);
    for (TaskId t : parent.done) {
        if (const NextStep* s = find_step(parent.enabled, t)) keep(*s);
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Race reversal
//-----------------------------------------------------------------------------

std::int64_t clock_of(const Node& n, TaskId t) {
    const auto i = static_cast<std::size_t>(t);
    return i < n.clock.size() ? n.clock[i] : -1;
}

void join(std::vector<std::int64_t>& into, const std::vector<std::int64_t>& other) {
    if (into.size() < other.size()) into.resize(other.size(), -1);
    for (std::size_t t = 0; t < other.size(); ++t) into[t] = std::max(into[t], other[t]);
}

// The race between steps j and i asks the node before j to explore a
// schedule that reverses it: v = the steps after j that do not happen after
// j, then step i. Unless a task asleep or already explored at that node can
// begin v (then v's reversal is covered), v goes into that node's wakeup tree.
void reverse_race(std::vector<Node>& stack, std::size_t j, std::size_t i, std::vector<NextStep>& v) {
    v.clear();
    for (std::size_t k = j + 1; k < i; ++k) {
        if (clock_of(stack[k], stack[j].step.task) < static_cast<std::int64_t>(j)) v.push_back(stack[k].step);
    }
    v.push_back(stack[i].step);
    Node& at = stack[j];
    const auto covers = [&](const NextStep& s) { return begins(s, v) != kNo; };
    if (std::any_of(at.sleep.begin(), at.sleep.end(), covers)) return;
    if (std::any_of(at.done.begin(), at.done.end(), [&](TaskId t) { return covers(*find_step(at.enabled, t)); })) return;
    insert(at.wakeup, v);
}

// A race with step j that step i's task could not have taken before j: j
// opened the guard i waited at (j gave back the mutex that i's lock waits
// for), or i's task waited at its guard there. The order to try is i before
// the step that closed the guard: the lock that began the critical section j
// ends (the same task's last take of i's object); for other guards (a
// semaphore's permits), the last earlier step of another task that i depends
// on, at a node where i's task did not wait at its guard. Unless the task's
// own previous step already happens after that one. The walk may cross a
// move of the clock: a task waiting at a guard is not waiting for the clock,
// so the take that closed its guard could have been its own before the move
// (if its previous step came after the move, that step happens after all
// before it, and the check above ends the walk).
void reverse_guarded_race(std::vector<Node>& stack, std::size_t j, std::size_t i, std::vector<NextStep>& v) {
    const NextStep& step = stack[i].step;
    const NextStep& opener = stack[j].step;
    const bool section = ends_section(opener.kind);
    std::size_t mine = i;  // the task's previous step, if any
    while (mine-- > 0 && stack[mine].step.task != step.task) {
    }
    for (std::size_t k = j; k-- > 0;) {
        const Node& at = stack[k];
        const bool closer = section ? at.step.task == opener.task && at.step.object == step.object && takes(at.step.kind)
                                    : at.step.task != step.task && !has_task(at.guarded, step.task) && dependent(at.step, step);
        if (!closer) continue;
        if (mine < i && clock_of(stack[mine], at.step.task) >= static_cast<std::int64_t>(k)) return;
        reverse_race(stack, k, i, v);
        return;
    }
}

// Optimal DPOR's race analysis (Abdulla et al. 2014, Algorithm 2), for the
// steps from `from` on (the earlier ones were analysed in an earlier run).
// Walking back from step i, its happens-before clock gathers the steps it
// depends on; a step j of another task that does not commute with i and is
// not yet in the clock is in a race with it: nothing else orders them.
//
// The clock moves only when no task can step (Scheduler::clock): a point
// every step before it happens before, and every step after it happens after
// (the tasks after it were all waiting there). Like a step of its own that
// depends on every step but is never enabled beside one, it orders steps
// across it and is in no race: the walk stops there, taking every earlier
// step into the clock.
void reverse_races(std::vector<Node>& stack, std::size_t from) {
    std::vector<NextStep> v;
    // Every clock has a slot for every task from the start (-1: no step of
    // it happens before), so that none grows task by task.
    std::size_t tasks = 0;
    for (const Node& n : stack) tasks = std::max(tasks, static_cast<std::size_t>(n.step.task) + 1);
    for (std::size_t i = from; i < stack.size(); ++i) {
        Node& n = stack[i];
        n.clock.assign(tasks, -1);
        for (std::size_t j = i; j-- > 0;) {
            const Node& earlier = stack[j];
            if (earlier.clock_moved) {
                for (std::size_t k = j + 1; k-- > 0;) {
                    const auto t = static_cast<std::size_t>(stack[k].step.task);
                    if (n.clock.size() <= t) n.clock.resize(t + 1, -1);
                    n.clock[t] = std::max(n.clock[t], static_cast<std::int64_t>(k));
                }
                break;
            }
            if (clock_of(n, earlier.step.task) >= static_cast<std::int64_t>(j)) continue;
            // The step that woke this task happens before its steps, and is
            // in no race with them: they could not have gone before it.
            const bool woken = has_task(earlier.woke, n.step.task);
            if (!woken && !dependent(earlier.step, n.step)) continue;
            join(n.clock, earlier.clock);
            if (woken || earlier.step.task == n.step.task) continue;
            // Before an unlock (or a condition wait) of the mutex a lock
            // waits for, the mutex was held: the lock could not have gone
            // there, whether or not its task had come to it yet. Before a
            // step that opens other guards (a semaphore's release, a
            // channel's receive) the guard may have been open, or not:
            // both reversals are tried.
            const bool same = n.step.has_guard && earlier.step.opens && earlier.step.object == n.step.object;
            const bool held = same && ends_section(earlier.step.kind);
            if (held || has_task(earlier.guarded, n.step.task)) {
                reverse_guarded_race(stack, j, i, v);
            } else {
                reverse_race(stack, j, i, v);
                if (same) reverse_guarded_race(stack, j, i, v);
            }
        }
        const auto me = static_cast<std::size_t>(n.step.task);
        if (n.clock.size() <= me) n.clock.resize(me + 1, -1);
        n.clock[me] = static_cast<std::int64_t>(i);
    }
}

// A run that ends with steps not taken never saw their races: a deadlock
// over locks leaves tasks waiting at guards, and a run cut short at the depth
// limit leaves tasks that could still step. Each such step is analysed as if
// it were taken after the run's last one. A step waiting at a guard races
// with the take that closed it (the lock its task waits for): tried before
// it, the task might get the lock first and the run end another way. A step
// that could have been taken races like any other (a cut run of a loop that
// spins on a flag never took the step that sets it: unseen, its race with
// the loop's reads was never reversed, and the search ended after one run,
// "complete", without the runs where the flag is set).
void reverse_pending(std::vector<Node>& stack, const Scheduler& s, bool cut) {
    std::vector<NextStep> v;
    for (std::size_t t = 0; t < s.task_count(); ++t) {
        const auto id = static_cast<TaskId>(t);
        const bool guarded = s.at_guard(id);
        if (!guarded && !(cut && s.can_step(id))) continue;
        Node pending;
        pending.step = next_step(s, id);
        stack.push_back(std::move(pending));
        const std::size_t i = stack.size() - 1;
        if (guarded) {
            reverse_guarded_race(stack, i, i, v);
        } else {
            reverse_races(stack, i);
        }
        stack.pop_back();
    }
}

//-----------------------------------------------------------------------------
// [SECTION] The search
//-----------------------------------------------------------------------------

// `choices`: a list of them (a finding's) or the scheduler's log.
template <typename Choices>
void add_finding(ExploreResult& result, std::string kind, std::string detail, const Choices& choices,
                 const std::vector<std::uint64_t>& picks, DeadlockWaits waits = {}) {
    for (const Finding& f : result.findings) {
        if (f.kind == kind && f.detail == detail) return;
    }
    if (result.findings.size() < 50) {
        result.findings.push_back({std::move(kind), std::move(detail), std::vector<TaskId>(choices.begin(), choices.end()), picks, std::move(waits)});
    }
}

// A deadlock with these waits is a finding already (its words were made once).
bool found_deadlock(const ExploreResult& result, const DeadlockWaits& waits) {
    return std::any_of(result.findings.begin(), result.findings.end(), [&](const Finding& f) { return f.kind == "deadlock" && f.waits == waits; });
}

// The outcome of that name reached so far, or null.
Outcome* find_outcome(ExploreResult& result, const std::string& key) {
    const auto it = std::find_if(result.outcomes.begin(), result.outcomes.end(), [&](const Outcome& o) { return o.outcome == key; });
    return it == result.outcomes.end() ? nullptr : &*it;
}

bool any_bad(const ExploreResult& r) {
    return std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const Outcome& o) { return o.bad; });
}

// The hunt's preemption bounds go up to this one; random priorities follow.
constexpr int kHuntBound = 1;
// Between the bounds and random priorities the search of every schedule runs
// this many executions: a program that small is then done, where random runs
// would add nothing (the prime sieve: 16; the actor ping-pong example: 384,
// which at 200 spent the hunt's 10,000 runs first). A bigger one goes on to
// random priorities, and its search resumes where it stopped once the hunt
// is over: the trial's runs are the search's own, never spent twice.
constexpr std::uint64_t kTrialRuns = 1000;

}  // namespace

enum class Phase { Bounding, Trial, Random, Search };

struct Explorer::State {
    std::vector<Node> stack;
    std::size_t fresh = 0;      // the first node whose step is new since the last run
    Phase phase = Phase::Search;
    int bound = 0;                   // Bounding: the preemption bound searched now
    std::unique_ptr<Explorer> sub;   // Bounding: the search with that bound
    std::uint64_t trial_left = kTrialRuns;  // Trial: the search's runs before random priorities
    Rng rng{1};                      // Random: priorities and change points
    std::string label;               // Search: what strategy() says ("" every schedule)
    bool cache_tried = false;        // Search: whether a search of states was considered
    std::unique_ptr<StateSearch> cached;  // Search: the search of states, while it goes on
    ExploreResult before_cache;      // the result as it began (a stateless search starts from there)
};

Explorer::Explorer(Make make, ExploreOptions options)
    : make_(std::move(make)), options_(std::move(options)), state_(std::make_unique<State>()) {
    if (options_.cooperative_cores > 0) {
        // Who may step next depends on who stepped before: nothing commutes (ExploreOptions).
        options_.reduction = Reduction::None;
        options_.hunt = 0;
        options_.preemption_bound = -1;
        options_.cache_states = false;
        result_.cooperative = true;
    }
    // A search bounded by the user stays within its bound: no hunt.
    if (options_.hunt > 0 && options_.preemption_bound < 0) state_->phase = Phase::Bounding;
    state_->rng = Rng(options_.seed);
}
Explorer::~Explorer() = default;

std::size_t Explorer::depth() const { return state_->cached ? state_->cached->depth() : state_->stack.size(); }

void Explorer::record(const std::string& key, bool bad, const Scheduler& s) {
    Outcome* o = find_outcome(result_, key);
    if (o) {
        ++o->executions;
    } else {
        o = &result_.outcomes.emplace_back(Outcome{key, bad, 1, s.choices().to_vector(), s.picks()});  // its example: the first run to reach it
    }
    if (state_ && state_->phase == Phase::Random) ++o->hunted;
    if (bad && result_.found_by.empty()) {
        result_.found_by = strategy();
        result_.found_after = result_.executions;
    }
}

// Counts a run that ended (result_.executions already counts it): its outcome,
// and what went wrong in it.
void Explorer::settle(Explorable& run, const Scheduler& s) {
    const ChoiceLog& choices = s.choices();
    const std::vector<std::uint64_t>& picks = s.picks();
    if (s.verdict() == Verdict::Deadlock) {
        // A deadlock that follows a task's death says what killed it
        // (a failed assertion that left a lock held, say).
        const std::string key = s.panics().empty() ? "deadlock" : run.outcome();
        record(key, true, s);
        if (!s.panics().empty()) {
            add_finding(result_, "deadlock", key, choices, picks);
        } else if (DeadlockWaits waits = s.deadlock_waits(); !found_deadlock(result_, waits)) {
            add_finding(result_, "deadlock", run.deadlock_story(), choices, picks, std::move(waits));
        }
    } else if (s.verdict() == Verdict::Running) {
        ++result_.cut_at_depth;
        record("no end within " + std::to_string(options_.max_depth) + " steps", true, s);
        add_finding(result_, "livelock?", "still running after " + std::to_string(options_.max_depth) + " steps", choices, picks);
    } else {
        const bool bad = run.bad();
        const std::string key = run.outcome();
        record(key, bad, s);
        if (bad) add_finding(result_, "violation", key, choices, picks);
    }
}

// Adds a finished (or abandoned) search's runs to this one's.
void Explorer::merge(const ExploreResult& from) {
    if (result_.found_by.empty() && !from.found_by.empty()) {
        result_.found_by = from.found_by;
        result_.found_after = result_.executions + from.found_after;
    }
    result_.executions += from.executions;
    result_.pruned += from.pruned;
    result_.hunted += from.executions + from.pruned;
    result_.max_depth = std::max(result_.max_depth, from.max_depth);
    for (const Outcome& o : from.outcomes) {
        // A merged search is a phase of the hunt: all its runs are hunted.
        if (Outcome* mine = find_outcome(result_, o.outcome)) {
            mine->executions += o.executions;
            mine->hunted += o.executions;
        } else {
            result_.outcomes.push_back(o);
            result_.outcomes.back().hunted = o.executions;
        }
    }
    for (const Finding& f : from.findings) add_finding(result_, f.kind, f.detail, f.choices, f.picks, f.waits);
}

// One run under random priorities (PCT): every task gets a random priority
// when it first shows up, the highest-priority ready task steps, and at d − 1
// random steps the task that steps drops below every starting priority.
void Explorer::random_run() {
    State& st = *state_;
    std::unique_ptr<Explorable> run = make_();
    Scheduler& s = run->sched();
    s.start();
    const int d = std::max(1, options_.pct_depth);
    const std::uint64_t k = std::max<std::size_t>(1, result_.max_depth);
    std::vector<std::uint64_t> changes;
    for (int j = 0; j + 1 < d; ++j) changes.push_back(1 + st.rng.below(k));
    std::vector<std::int64_t> priority;
    std::uint64_t steps = 0;
    while (s.verdict() == Verdict::Running && s.steps() < options_.max_depth) {
        const std::vector<TaskId> ready = s.runnable();
        if (ready.empty()) break;
        TaskId best = kNone;
        for (TaskId t : ready) {
            const auto i = static_cast<std::size_t>(t);
            if (priority.size() <= i) priority.resize(i + 1, -1);
            if (priority[i] < 0) priority[i] = d + static_cast<std::int64_t>(st.rng.below(std::uint64_t{1} << 40));
            if (best == kNone || priority[i] > priority[static_cast<std::size_t>(best)]) best = t;
        }
        ++steps;
        for (int j = 0; j + 1 < d; ++j) {
            if (changes[static_cast<std::size_t>(j)] == steps) priority[static_cast<std::size_t>(best)] = d - 1 - j;
        }
        s.step_task(best);
    }
    ++result_.hunted;
    result_.max_depth = std::max<std::size_t>(result_.max_depth, steps);
    if (s.verdict() == Verdict::Running && s.steps() < options_.max_depth) {
        ++result_.pruned;  // nothing could step and the run did not end: not an execution
        return;
    }
    ++result_.executions;
    settle(*run, s);
}

// The hunt, out of `runs` executions: preemption bounds 0 to kHuntBound (each
// a search of its own, run to its end or to the hunt's budget), then the
// trial of the search (advance), then random priorities, until a bad outcome
// shows up or the budget is spent. True while it hunts.
namespace {
bool hunting(Phase p) { return p == Phase::Bounding || p == Phase::Random; }
}  // namespace

bool Explorer::hunt(std::uint64_t& runs) {
    State& st = *state_;
    while (runs > 0 && hunting(st.phase)) {
        const std::uint64_t spent = result_.hunted + (st.sub ? st.sub->result().executions + st.sub->result().pruned : 0);
        if (any_bad(result_) || spent >= options_.hunt) {
            if (st.sub) merge(st.sub->result());
            st.sub.reset();
            st.phase = Phase::Search;
            break;
        }
        if (st.phase == Phase::Random) {
            random_run();
            --runs;
            continue;
        }
        if (!st.sub && st.bound > kHuntBound) {
            st.phase = Phase::Trial;
            continue;
        }
        if (!st.sub) {
            ExploreOptions o = options_;
            o.hunt = 0;
            o.preemption_bound = st.bound;
            // Bounding may spend half the budget; random priorities have the rest.
            o.max_executions = options_.hunt / 2 > result_.hunted ? options_.hunt / 2 - result_.hunted : 1;
            o.time_limit_s = std::numeric_limits<double>::infinity();
            o.on_execution = {};
            o.progress = {};
            st.sub = std::make_unique<Explorer>(make_, o);
            st.sub->state_->label = "preemption bound " + std::to_string(st.bound);
        }
        const ExploreResult& r = st.sub->result();
        const std::uint64_t before = r.executions + r.pruned;
        const bool more = st.sub->advance(runs);
        runs -= std::min(runs, std::max<std::uint64_t>(1, r.executions + r.pruned - before));
        if (!more || any_bad(r)) {
            merge(r);
            st.sub.reset();
            ++st.bound;
            // Bounding spent its half: on to the trial, then random priorities.
            if (result_.hunted >= options_.hunt / 2) st.phase = Phase::Trial;
        }
    }
    return hunting(st.phase);
}

std::string Explorer::strategy() const {
    switch (state_->phase) {
    case Phase::Bounding: return "preemption bound " + std::to_string(state_->bound);
    case Phase::Random: return "random priorities (PCT)";
    case Phase::Trial:
    case Phase::Search: break;
    }
    if (state_->cached) return "every state";
    return state_->label.empty() ? "every schedule" : state_->label;
}

// Ends the search when a limit is reached or the caller cancels; true then.
bool Explorer::stop_at_limits(double elapsed) {
    const auto total = result_.executions + result_.pruned;
    // A search of states is bounded by the states it stores (its runs only
    // come back to them), as Spin's memory bounds its own.
    const bool states = state_->cached != nullptr;
    if ((states ? result_.states : total) >= options_.max_executions) {
        result_.complete = false;
        result_.bounded_by = std::string(states ? "the state limit (" : "the execution limit (") + std::to_string(options_.max_executions) + ")";
    } else if (elapsed > options_.time_limit_s) {
        result_.complete = false;
        char limit[32];
        std::snprintf(limit, sizeof limit, "%g", options_.time_limit_s);
        result_.bounded_by = std::string("the time limit (") + limit + " s)";
    } else if (cancel_requested_ ||
               (options_.progress && total % 64 == 0 && !options_.progress(result_.executions, depth()))) {
        result_.complete = false;
        result_.bounded_by = "cancelled";
    }
    if (result_.bounded_by.empty()) return false;
    finish();
    return true;
}

// The search of states, where the options ask for it and the run declares
// its state: up to `runs` runs of it. True while it is the search (going or
// over); false to leave the search to the stateless one, with the result as
// it was before the search of states began.
bool Explorer::search_states(std::uint64_t runs, const std::function<double()>& elapsed) {
    State& st = *state_;
    if (!st.cache_tried) {
        st.cache_tried = true;
        if (!options_.cache_states || options_.preemption_bound >= 0) return false;
        st.cached = std::make_unique<StateSearch>(make_, options_.max_depth);
        st.before_cache = result_;
    }
    if (!st.cached) return false;
    const StateSearch::Settle on_end = [this](Explorable& run, const Scheduler& s) {
        if (s.verdict() != Verdict::Running && options_.on_execution) options_.on_execution(s);
        settle(run, s);
    };
    for (std::uint64_t done = 0; done < runs; ++done) {
        const StateSearch::Status status = st.cached->run(on_end);
        if (status == StateSearch::Status::Stateless) {
            result_ = st.before_cache;
            st.cached.reset();
            return false;
        }
        const StateSearch& c = *st.cached;
        result_.executions = st.before_cache.executions + c.runs();
        result_.states = c.states();
        result_.transitions = c.transitions();
        result_.max_depth = std::max(result_.max_depth, c.max_depth());
        if (status == StateSearch::Status::Over) {
            if (c.cut()) {
                result_.complete = false;
                result_.bounded_by = "the depth limit (" + std::to_string(options_.max_depth) + " steps)";
            }
            finish();
            return true;
        }
        if (stop_at_limits(elapsed())) return true;
    }
    return true;
}

bool Explorer::advance(std::uint64_t runs) {
    if (finished_) return false;
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const auto elapsed = [&] { return elapsed_ + std::chrono::duration<double>(Clock::now() - start).count(); };
    std::vector<Node>& stack = state_->stack;
    const bool dpor = options_.reduction == Reduction::Dpor;
    ExploreResult& result = result_;

    const bool hunts = hunt(runs);
    if (stop_at_limits(elapsed()) || hunts) runs = 0;
    // The trial's runs this time (Phase::Trial), out of what it has left.
    const std::uint64_t trial = state_->phase == Phase::Trial ? (runs = std::min(runs, state_->trial_left)) : 0;
    const std::uint64_t made_before = result.executions + result.pruned;
    if (runs > 0 && search_states(runs, elapsed)) runs = 0;
    for (std::uint64_t done = 0; done < runs; ++done) {
        // Re-run the program along the stack's choices...
        std::unique_ptr<Explorable> run = make_();
        Scheduler& s = run->sched();
        s.start();
        std::vector<std::uint64_t> script;
        for (const Node& n : stack) script.insert(script.end(), n.picks.begin(), n.picks.end());
        s.script_picks(std::move(script));
        const auto take = [&s](Node& n) {
            const std::uint64_t moves = s.clock_moves();
            const std::size_t before = s.picks().size();
            s.step_task(n.chosen);
            n.woke = s.woken();
            n.clock_moved = s.clock_moves() != moves;
            n.picks.assign(s.picks().begin() + static_cast<std::ptrdiff_t>(before), s.picks().end());
            n.pick_counts.assign(s.pick_counts().begin() + static_cast<std::ptrdiff_t>(before), s.pick_counts().end());
        };
        for (Node& n : stack) take(n);
        // ...then extend it to the end: along the wakeup tree, then first choices.
        bool pruned = false;
        while (s.verdict() == Verdict::Running && s.steps() < options_.max_depth) {
            Node n = make_node(s, stack.empty() ? nullptr : &stack.back(), options_);
            if (!stack.empty() && options_.reduction != Reduction::None) n.sleep = child_sleep(stack.back());
            if (!stack.empty() && dpor) n.wakeup = std::exchange(stack.back().wakeup.front().children, {});
            n.chosen = first_choice(n, options_);
            if (n.chosen == kNone) {
                pruned = true;  // every enabled task is asleep or over the bound
                break;
            }
            n.step = *find_step(n.enabled, n.chosen);
            stack.push_back(std::move(n));
            take(stack.back());
        }
        result.max_depth = std::max(result.max_depth, stack.size());
        if (dpor) {
            reverse_races(stack, state_->fresh);
            const bool cut = s.verdict() == Verdict::Running;  // at the depth limit
            if (s.verdict() == Verdict::Deadlock || cut) reverse_pending(stack, s, cut);
        }
        if (pruned) {
            ++result.pruned;
        } else {
            ++result.executions;
            if (options_.on_execution) options_.on_execution(s);
            settle(*run, s);
        }
        // Backtrack to the deepest node with a choice left: another combination
        // of its step's picks, else another task.
        while (!stack.empty()) {
            Node& top = stack.back();
            if (next_picks(top)) break;
            top.picks.clear();
            top.pick_counts.clear();
            top.chosen = next_choice(top, options_);
            if (top.chosen != kNone) {
                top.step = *find_step(top.enabled, top.chosen);
                break;
            }
            stack.pop_back();
        }
        state_->fresh = stack.empty() ? 0 : stack.size() - 1;
        if (stack.empty()) {
            finish();
            break;
        }
        if (stop_at_limits(elapsed())) break;
    }
    if (trial > 0 && !finished_) {
        // The trial spent its runs (or found what goes wrong): random
        // priorities, unless it found something; the search goes on after.
        state_->trial_left -= trial;
        result.trial += result.executions + result.pruned - made_before;
        if (any_bad(result)) {
            state_->phase = Phase::Search;
        } else if (state_->trial_left == 0) {
            state_->phase = Phase::Random;
        }
    }
    elapsed_ = elapsed();
    result.seconds = elapsed_;
    return !finished_;
}

void Explorer::finish() {
    finished_ = true;
    state_->stack.clear();
    state_->cached.reset();
    if (state_->sub) merge(state_->sub->result());
    state_->sub.reset();
    if (options_.preemption_bound >= 0 && result_.bounded_by.empty()) {
        result_.complete = false;
        result_.bounded_by = "the preemption bound (" + std::to_string(options_.preemption_bound) + ")";
        result_.within_bound = options_.preemption_bound;
    }
}

ExploreResult explore(const Explorer::Make& make, const ExploreOptions& options) {
    Explorer e(make, options);
    while (e.advance(1024)) {
    }
    return e.result();
}

}  // namespace such::engine
