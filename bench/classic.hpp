// The stateless-model-checking literature's standard programs (Flanagan &
// Godefroid 2005; Abdulla et al. 2014), written as engine programs so the
// explorer can be measured on them: lastzero(N), indexer(N), filesystem(N).
// Used by bench/bench_classic.cpp and tests/engine/test_classic.cpp.
#pragma once
#include <deque>
#include <memory>
#include <string>

#include "engine/atomic.hpp"
#include "engine/explorer.hpp"
#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"

namespace such::classic {

using engine::Ctx;
using engine::Task;

// Base: a scheduler under the explorer's control and a way to name the end state.
class Program : public engine::Explorable {
public:
    Program() : sched_(engine::Config{1, engine::Policy::Manual, 1, 1, {}, {}}) {}
    engine::Scheduler& sched() override { return sched_; }
    bool bad() override { return false; }

protected:
    engine::Scheduler sched_;
};

// lastzero(N): array[0..N] starts at 0. Thread 0 scans from the end for the
// last zero; thread j (1..N) sets array[j] = array[j-1] + 1.
class LastZero final : public Program {
public:
    explicit LastZero(int n) : n_(n) {
        for (int i = 0; i <= n; ++i) array_.emplace_back("array[" + std::to_string(i) + "]", 0);
        for (auto& a : array_) sched_.add(a);
        sched_.spawn("reader", 0, [this](Ctx& c) { return reader(c); });
        for (int j = 1; j <= n; ++j) sched_.spawn("writer" + std::to_string(j), 0, [this, j](Ctx& c) { return writer(c, j); });
    }
    std::string outcome() override { return "last zero at " + std::to_string(found_); }

private:
    Task reader(Ctx& c) {
        for (int i = n_;; --i) {
            const auto v = co_await array_[static_cast<std::size_t>(i)].read(c);
            if (v == 0) {
                found_ = i;
                co_return;
            }
        }
    }
    Task writer(Ctx& c, int j) {
        const auto v = co_await array_[static_cast<std::size_t>(j - 1)].read(c);
        co_await array_[static_cast<std::size_t>(j)].write(c, v + 1);
    }
    int n_;
    int found_ = -1;
    std::deque<engine::SharedVar> array_;
};

// indexer(N): N threads each insert 4 messages into a 128-slot hash table
// with compare-and-swap, probing linearly on a collision. Collisions, and so
// races, begin at 12 threads. `locked`: the compare-and-swap is a lock per
// slot around a read and a write, as a programmer without atomics writes it.
class Indexer final : public Program {
public:
    static constexpr int kSize = 128;
    explicit Indexer(int n, bool locked = false) : locked_(locked) {
        for (int i = 0; i < kSize; ++i) table_.emplace_back("table[" + std::to_string(i) + "]", 0);
        for (auto& t : table_) sched_.add(t);
        if (locked_) {
            for (int i = 0; i < kSize; ++i) locks_.emplace_back("lock[" + std::to_string(i) + "]");
            for (auto& l : locks_) sched_.add(l);
        }
        for (int t = 0; t < n; ++t) sched_.spawn("T" + std::to_string(t), 0, [this, t](Ctx& c) { return insert(c, t); });
    }
    std::string outcome() override {
        std::string out;
        for (auto& t : table_) out += std::to_string(t.value()) + ",";
        return out;
    }

private:
    Task insert(Ctx& c, int tid) {
        for (int m = 1; m <= 4; ++m) {
            const std::int64_t w = m * 11 + tid;
            int h = static_cast<int>((w * 7) % kSize);
            while (true) {
                auto& slot = table_[static_cast<std::size_t>(h)];
                std::int64_t seen = 0;
                if (locked_) {
                    auto& lock = locks_[static_cast<std::size_t>(h)];
                    co_await lock.lock(c);
                    seen = co_await slot.load(c);
                    if (seen == 0) co_await slot.store(c, w);
                    co_await lock.unlock(c);
                } else {
                    seen = co_await slot.compare_exchange(c, 0, w);
                }
                if (seen == 0) break;
                h = (h + 1) % kSize;
            }
        }
    }
    bool locked_;
    std::deque<engine::Atomic> table_;
    std::deque<engine::Mutex> locks_;
};

// filesystem(N): N threads each allocate a disk block for an inode, under a
// lock per inode and a lock per block. Threads meet on a block from 14 on.
class FileSystem final : public Program {
public:
    static constexpr int kBlocks = 26, kInodes = 32;
    explicit FileSystem(int n) {
        for (int i = 0; i < kInodes; ++i) {
            locki_.emplace_back("locki[" + std::to_string(i) + "]");
            inode_.emplace_back("inode[" + std::to_string(i) + "]", 0);
        }
        for (int b = 0; b < kBlocks; ++b) {
            lockb_.emplace_back("lockb[" + std::to_string(b) + "]");
            busy_.emplace_back("busy[" + std::to_string(b) + "]", 0);
        }
        for (auto& o : locki_) sched_.add(o);
        for (auto& o : inode_) sched_.add(o);
        for (auto& o : lockb_) sched_.add(o);
        for (auto& o : busy_) sched_.add(o);
        for (int t = 0; t < n; ++t) sched_.spawn("T" + std::to_string(t), 0, [this, t](Ctx& c) { return allocate(c, t); });
    }
    std::string outcome() override {
        std::string out;
        for (auto& i : inode_) out += std::to_string(i.value()) + ",";
        return out;
    }

private:
    Task allocate(Ctx& c, int tid) {
        const auto i = static_cast<std::size_t>(tid % kInodes);
        co_await locki_[i].lock(c);
        const auto used = co_await inode_[i].read(c);
        if (used == 0) {
            auto b = static_cast<std::size_t>((i * 2) % kBlocks);
            while (true) {
                co_await lockb_[b].lock(c);
                const auto taken = co_await busy_[b].read(c);
                if (taken == 0) {
                    co_await busy_[b].write(c, 1);
                    co_await inode_[i].write(c, static_cast<std::int64_t>(b) + 1);
                    co_await lockb_[b].unlock(c);
                    break;
                }
                co_await lockb_[b].unlock(c);
                b = (b + 1) % kBlocks;
            }
        }
        co_await locki_[i].unlock(c);
    }
    std::deque<engine::Mutex> locki_, lockb_;
    std::deque<engine::SharedVar> inode_, busy_;
};

}  // namespace such::classic
