// The scheduler's choice list: which task took each step, in order. It is
// what replays a run (Policy::Replay), what a trace file and a link carry.
// It keeps a byte a step while every task id fits in one (254 tasks: every
// scene but the largest), and widens to a whole TaskId a step the first time
// one does not. A run whose choices come from its seed may keep only the
// latest ones (keep_last, as Trace does with events): the same settings run
// again make the others again, so a run of any length keeps bounded memory
// (bench/run-all's long run).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <vector>

#include "engine/trace.hpp"

namespace such::engine {

class ChoiceLog {
public:
    // Reads the log by value, like a const std::vector<TaskId>'s iterator.
    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = TaskId;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = TaskId;

        const_iterator() = default;
        const_iterator(const ChoiceLog* log, std::size_t at) : log_(log), at_(at) {}
        TaskId operator*() const { return (*log_)[at_]; }
        TaskId operator[](difference_type n) const { return (*log_)[at_ + static_cast<std::size_t>(n)]; }
        const_iterator& operator++() { ++at_; return *this; }
        const_iterator operator++(int) { const_iterator old = *this; ++at_; return old; }
        const_iterator& operator--() { --at_; return *this; }
        const_iterator operator--(int) { const_iterator old = *this; --at_; return old; }
        const_iterator& operator+=(difference_type n) { at_ = static_cast<std::size_t>(static_cast<difference_type>(at_) + n); return *this; }
        const_iterator& operator-=(difference_type n) { return *this += -n; }
        friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
        friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
        friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
        friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
            return static_cast<difference_type>(a.at_) - static_cast<difference_type>(b.at_);
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.at_ == b.at_; }
        friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.at_ <=> b.at_; }

    private:
        const ChoiceLog* log_ = nullptr;
        std::size_t at_ = 0;
    };

    void reserve(std::size_t n) { wide_ ? wide_log_.reserve(n) : narrow_.reserve(n); }
    void push_back(TaskId id) {
        if (!wide_ && id >= 0 && id < kNarrowLimit) {
            narrow_.push_back(static_cast<std::uint8_t>(id));
        } else {
            if (!wide_) widen();
            wide_log_.push_back(id);
        }
        if (window_ != 0 && kept() >= 2 * window_) forget_oldest();
    }
    // Keep at least the last `choices` choices (0: every choice, the default).
    void keep_last(std::size_t choices) { window_ = choices; }
    // How many of the oldest choices were let go (0 without a window).
    std::size_t forgotten() const { return forgotten_; }
    // Every step's choice, kept or not: the step count.
    std::size_t size() const { return forgotten_ + kept(); }
    bool empty() const { return size() == 0; }
    // Step i's choice; i from forgotten() on.
    TaskId operator[](std::size_t i) const {
        i -= forgotten_;
        return wide_ ? wide_log_[i] : static_cast<TaskId>(narrow_[i]);
    }
    TaskId back() const { return (*this)[size() - 1]; }
    // The kept choices, from step forgotten() on.
    const_iterator begin() const { return {this, forgotten_}; }
    const_iterator end() const { return {this, size()}; }

    // The whole list, from step 0: only a log that forgot nothing has it.
    std::vector<TaskId> to_vector() const {
        if (forgotten_ != 0) throw std::logic_error("the choice list kept only its latest choices: run the settings again for all");
        return {begin(), end()};
    }
    operator std::vector<TaskId>() const { return to_vector(); }  // NOLINT: a list of choices reads as one

    // Against another log or a std::vector<TaskId>: the same choices in order
    // from step 0 (false when this log forgot some).
    template <class Choices>
    friend bool operator==(const ChoiceLog& a, const Choices& b) {
        return a.forgotten_ == 0 && a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
    }

private:
    static constexpr TaskId kNarrowLimit = 255;
    std::size_t kept() const { return wide_ ? wide_log_.size() : narrow_.size(); }
    void widen() {
        wide_log_.assign(begin(), end());
        narrow_ = {};
        wide_ = true;
    }
    template <class Log>
    void drop_front(Log& log) {
        const std::size_t n = log.size() - window_;
        log.erase(log.begin(), log.begin() + static_cast<std::ptrdiff_t>(n));
        forgotten_ += n;
    }
    void forget_oldest() { wide_ ? drop_front(wide_log_) : drop_front(narrow_); }

    bool wide_ = false;
    std::vector<std::uint8_t> narrow_;
    std::vector<TaskId> wide_log_;
    std::size_t window_ = 0;
    std::size_t forgotten_ = 0;
};

}  // namespace such::engine
