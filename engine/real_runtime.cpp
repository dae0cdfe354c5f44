// Real threads: what both ways share (tasks, their end, the merged trace),
// and native threads, one per task. Green threads are in engine/green.cpp.
#include "engine/real_runtime.hpp"

#include <algorithm>
#include <cstdio>

#include <unistd.h>
#if __has_include(<malloc.h>)
#include <malloc.h>  // mallinfo2 (glibc 2.33 and later); elsewhere the heap is not measured
#endif

namespace such::engine {

std::size_t resident_bytes() {
    std::FILE* statm = std::fopen("/proc/self/statm", "r");
    if (!statm) return 0;
    unsigned long size = 0, resident = 0;
    const bool read = std::fscanf(statm, "%lu %lu", &size, &resident) == 2;
    std::fclose(statm);
    return read ? resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

std::size_t heap_bytes() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
#else
    return 0;
#endif
}

std::size_t MemoryMark::grown() const {
    const std::size_t r = resident_bytes(), h = heap_bytes();
    return std::max(r - std::min(resident, r), h - std::min(heap, h));
}

RealRuntime::RealRuntime(RealOptions options) : options_(options) {}

RealRuntime::~RealRuntime() {
    const std::size_t n = task_count();
    for (std::size_t i = 0; i < n; ++i) {
        TaskSlot& t = slot(static_cast<TaskId>(i));
        if (t.handle) t.handle.destroy();  // a task that never ended (a green deadlock)
    }
}

TaskId RealRuntime::spawn(std::string name, int listing, const std::function<Task(Ctx&)>& program) {
    TaskSlot* t = nullptr;
    {
        std::lock_guard lock(spawn_mu_);
        const std::size_t id = count_.load(std::memory_order_relaxed);
        if (id == kChunk * kMaxChunks) throw std::length_error("too many tasks for one run");
        auto& chunk = chunks_[id / kChunk];
        if (!chunk) chunk = std::make_unique<TaskSlot[]>(kChunk);
        t = &chunk[id % kChunk];
        t->id = static_cast<TaskId>(id);
        t->name = std::move(name);
        t->ctx.emplace(*this, nullptr, this, t->id, listing, green());
        t->handle = program(*t->ctx).release();
        count_.store(id + 1, std::memory_order_release);
    }
    if (running_.load(std::memory_order_acquire)) {
        if (green()) {
            const long live = live_.fetch_add(1) + 1;
            std::uint64_t peak = peak_live_.load(std::memory_order_relaxed);
            while (static_cast<std::uint64_t>(live) > peak && !peak_live_.compare_exchange_weak(peak, static_cast<std::uint64_t>(live))) {
            }
            push(*t, -1);
        } else {
            start_native(*t);
        }
    }
    return t->id;
}

const std::string& RealRuntime::task_name(TaskId id) const { return slot(id).name; }

std::vector<RealRuntime::PanicRecord> RealRuntime::panics() const {
    std::lock_guard lock(end_mu_);
    return panics_;
}

void RealRuntime::run() {
    if (!options_.record) {
    } else if (!green()) {
        // Room for a million events in all, however many tasks share it.
        const std::size_t each = std::max<std::size_t>(256, (std::size_t{1} << 20) / std::max<std::size_t>(1, task_count()));
        for (std::size_t i = 0; i < task_count(); ++i) slot(static_cast<TaskId>(i)).buffer.events.reserve(std::min({options_.max_events_per_task, std::size_t{1} << 16, each}));
    }
    if (green()) {
        run_green();
    } else {
        run_native();
    }
    for (std::size_t i = 0; i < task_count(); ++i) {
        const TaskSlot& t = slot(static_cast<TaskId>(i));
        if (t.error.empty()) continue;
        if (error_.empty()) error_ = t.name + ": " + t.error;
        if (failure_.empty() && !t.panicked) failure_ = t.name + ": " + t.error;
    }
    if (deadlocked_) error_ = failure_ = deadlock_story();
    merge();
    finished_.store(true, std::memory_order_release);
}

// The task's end, on its own thread: its panic if any, then the exit hooks
// (links and monitors), which may wake or spawn other tasks.
void RealRuntime::finish(TaskSlot& t) {
    std::string reason = "normal";
    if (auto error = t.handle.promise().error) {
        try {
            std::rethrow_exception(*error);
        } catch (const Panic& p) {
            reason = p.what();
            t.panicked = true;
            std::lock_guard lock(end_mu_);
            panics_.push_back({t.id, reason});
        } catch (const std::exception& e) {
            reason = e.what();
        }
        t.error = reason;
    } else if (!t.handle.done()) {
        reason = t.error = "the program suspended on a step that has no real-thread form";
    }
    if (t.handle.done()) {
        t.handle.destroy();
        t.handle = {};
    }
    for (auto& hook : exit_hooks_) hook(*this, t.id, reason);
}

// [SECTION] Native threads

void RealRuntime::start_native(TaskSlot& t) {
    std::lock_guard lock(threads_mu_);
    threads_.emplace_back([this, &t] {
        // Every step is ready at once on native threads: one resume runs the program to its end.
        t.handle.resume();
        finish(t);
    });
}

void RealRuntime::run_native() {
    const std::size_t n = task_count();
    std::atomic<bool> go{false};
    std::atomic<std::size_t> ready{0};
    std::vector<std::thread> first;
    first.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        TaskSlot* t = &slot(static_cast<TaskId>(i));
        first.emplace_back([this, t, &go, &ready] {
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            t->handle.resume();
            finish(*t);
        });
    }
    while (ready.load() < n) std::this_thread::yield();
    start_ = std::chrono::steady_clock::now();
    running_.store(true, std::memory_order_release);
    go.store(true, std::memory_order_release);
    for (auto& th : first) th.join();
    for (;;) {  // threads spawned by tasks, and by those
        std::vector<std::thread> later;
        {
            std::lock_guard lock(threads_mu_);
            later.swap(threads_);
        }
        if (later.empty()) break;
        for (auto& th : later) th.join();
    }
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    running_.store(false);
}

// [SECTION] The trace

void RealRuntime::append(TaskId task, EventKind kind, ObjectId object, std::int64_t value) {
    Buffer& buffer = slot(task).buffer;
    if (buffer.events.size() == options_.max_events_per_task) {
        ++buffer.dropped;
        return;
    }
    const auto now = std::chrono::steady_clock::now() - start_;
    buffer.events.push_back({static_cast<std::uint64_t>(now.count()), object, kind, value});
}

// One trace ordered by time; ties keep task order, so merging is deterministic
// for a given set of recordings.
void RealRuntime::merge() {
    struct Ref {
        std::uint64_t ns;
        TaskId task;
        std::size_t index;
    };
    std::vector<Ref> all;
    const std::size_t n = task_count();
    for (std::size_t t = 0; t < n; ++t) {
        const Buffer& b = slot(static_cast<TaskId>(t)).buffer;
        dropped_ += b.dropped;
        for (std::size_t i = 0; i < b.events.size(); ++i) all.push_back({b.events[i].ns, static_cast<TaskId>(t), i});
    }
    std::stable_sort(all.begin(), all.end(), [](const Ref& a, const Ref& b) { return a.ns < b.ns; });
    std::uint64_t step = 0;
    for (const Ref& r : all) {
        const Recorded& e = slot(r.task).buffer.events[r.index];
        trace_.add({step++, e.ns, r.task, r.task, e.object, e.kind, e.value, {}});
    }
    for (std::size_t t = 0; t < n; ++t) slot(static_cast<TaskId>(t)).buffer = {};
}

}  // namespace such::engine

namespace such::engine {
void SleepStep::run_real(RealRuntime& rt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms_));
    rt.record(ctx_->id(), EventKind::Sleep, kNone, static_cast<std::int64_t>(ms_));
}

void YieldStep::run_real(RealRuntime& rt) {
    rt.record(ctx_->id(), EventKind::Yield, kNone, 0);
    std::this_thread::yield();
}
}  // namespace such::engine
