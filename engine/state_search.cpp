// The stateful search: a table of whole fingerprints, and a depth-first walk
// that comes back to a state by re-running the program along the path to it.
//
// Index:
// - [SECTION] The table of states
// - [SECTION] The walk
#include "engine/state_search.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace such::engine {

//-----------------------------------------------------------------------------
// [SECTION] The table of states
//-----------------------------------------------------------------------------

// Open addressing over the fingerprints, kept end to end in one array: no
// allocation per state, and two states are the same only when every word is.
class StateSearch::Table {
public:
    struct Entry {
        std::size_t at;          // its words in words_
        std::size_t length;
        std::uint64_t hash;
        std::uint64_t height = 0;  // the longest path from it, once left
        bool on_stack = false;
    };
    // The state's number, and whether it is new.
    std::pair<std::uint32_t, bool> insert(const std::vector<std::int64_t>& print) {
        if ((entries_.size() + 1) * 2 > slots_.size()) grow();
        const std::uint64_t h = hash(print);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const std::uint32_t slot = slots_[i];
            if (slot == 0) {
                entries_.push_back({words_.size(), print.size(), h});
                words_.insert(words_.end(), print.begin(), print.end());
                slots_[i] = static_cast<std::uint32_t>(entries_.size());
                return {slot_of(entries_.size() - 1), true};
            }
            const Entry& e = entries_[slot - 1];
            if (e.hash == h && e.length == print.size() && std::equal(print.begin(), print.end(), words_.begin() + static_cast<std::ptrdiff_t>(e.at))) {
                return {slot - 1, false};
            }
        }
    }
    bool same(std::uint32_t state, const std::vector<std::int64_t>& print) const {
        const Entry& e = entries_[state];
        return e.length == print.size() && std::equal(print.begin(), print.end(), words_.begin() + static_cast<std::ptrdiff_t>(e.at));
    }
    Entry& operator[](std::uint32_t state) { return entries_[state]; }
    std::size_t size() const { return entries_.size(); }

private:
    static std::uint32_t slot_of(std::size_t i) {
        if (i >= 0xffffffffu) throw std::length_error("more than 4 billion states");
        return static_cast<std::uint32_t>(i);
    }
    static std::uint64_t hash(const std::vector<std::int64_t>& print) {
        std::uint64_t h = 0x9e3779b97f4a7c15ull ^ print.size();
        for (std::int64_t w : print) {
            h = (h ^ static_cast<std::uint64_t>(w)) * 0xff51afd7ed558ccdull;
            h ^= h >> 33;
        }
        return h;
    }
    void grow() {
        slots_.assign(std::max<std::size_t>(1024, slots_.size() * 2), 0);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t e = 0; e < entries_.size(); ++e) {
            std::size_t i = entries_[e].hash & mask;
            while (slots_[i] != 0) i = (i + 1) & mask;
            slots_[i] = static_cast<std::uint32_t>(e + 1);
        }
    }
    std::vector<std::int64_t> words_;
    std::vector<Entry> entries_;
    std::vector<std::uint32_t> slots_;  // an entry's number + 1; 0: empty
};

//-----------------------------------------------------------------------------
// [SECTION] The walk
//-----------------------------------------------------------------------------

StateSearch::StateSearch(Explorer::Make make, std::uint64_t max_depth)
    : make_(std::move(make)), max_depth_(max_depth), table_(std::make_unique<Table>()) {}
StateSearch::~StateSearch() = default;

std::uint64_t StateSearch::states() const { return table_->size(); }

// Back to the top frame's state: the program from its start, along the path.
// The same choices must give the same state (programs are deterministic
// given their choices); a program that does not is a bug, told loudly.
void StateSearch::restore() {
    run_ = make_();
    ++runs_;
    Scheduler& s = run_->sched();
    s.start();
    for (std::size_t k = 0; k + 1 < stack_.size(); ++k) s.step_task(stack_[k].chosen);
    if (!s.fingerprint(print_) || !table_->same(stack_.back().state, print_)) {
        throw std::logic_error("the same choices led to another state: the program's state depends on something it does not declare");
    }
}

// The live run has reached a state (the start, or a step from the top
// frame's): a new one that goes on becomes the top frame; an end, a state
// stored before or one at the depth limit spends the run. A path through a
// state on the stack goes round forever, and one longer than the depth limit
// through a state left before is a run the stateless search would stop at
// that limit: both are settled as such (their verdict is still Running).
StateSearch::Arrival StateSearch::arrive(const Settle& settle) {
    Scheduler& s = run_->sched();
    if (!s.fingerprint(print_)) return Arrival::Stateless;
    const auto [state, fresh] = table_->insert(print_);
    const std::uint64_t depth = stack_.size();  // the steps taken to get here
    deepest_ = std::max<std::size_t>(deepest_, depth);
    std::uint64_t height = 0;
    if (!fresh) {
        const Table::Entry& e = (*table_)[state];
        if (e.on_stack || depth + e.height > max_depth_) settle(*run_, s);
        height = e.height;
    } else if (s.verdict() != Verdict::Running) {
        settle(*run_, s);
    } else if (depth >= max_depth_) {
        cut_ = true;
        settle(*run_, s);
    } else {
        (*table_)[state].on_stack = true;
        stack_.push_back({state, s.runnable()});
        return Arrival::Fresh;
    }
    if (depth > 0) stack_.back().height = std::max(stack_.back().height, height + 1);
    return Arrival::Spent;
}

// The top frame has tried every task: its state is left for good.
void StateSearch::leave() {
    const Frame& top = stack_.back();
    Table::Entry& e = (*table_)[top.state];
    e.on_stack = false;
    e.height = top.height;
    const std::uint64_t height = top.height;
    stack_.pop_back();
    if (!stack_.empty()) stack_.back().height = std::max(stack_.back().height, height + 1);
}

StateSearch::Status StateSearch::run(const Settle& settle) {
    Arrival a = Arrival::Fresh;
    if (!started_) {
        started_ = true;
        run_ = make_();
        run_->sched().start();
        ++runs_;
        a = arrive(settle);
    } else {
        restore();
    }
    while (a == Arrival::Fresh) {
        Frame& top = stack_.back();
        top.chosen = top.enabled[top.next++];
        run_->sched().step_task(top.chosen);
        ++transitions_;
        a = arrive(settle);
    }
    run_.reset();
    if (a == Arrival::Stateless) return Status::Stateless;
    while (!stack_.empty() && stack_.back().next == stack_.back().enabled.size()) leave();
    return stack_.empty() ? Status::Over : Status::Going;
}

}  // namespace such::engine
