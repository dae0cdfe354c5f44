// Real threads: start together, run straight through, merge what they recorded.
#include "engine/real_runtime.hpp"

#include <algorithm>
#include <thread>

namespace such::engine {

struct RealRuntime::TaskSlot {
    std::string name;
    std::unique_ptr<Ctx> ctx;
    Task::Handle handle;
    std::string error;
};

RealRuntime::RealRuntime(RealOptions options) : options_(options) {}

RealRuntime::~RealRuntime() {
    for (auto& t : tasks_) {
        if (t->handle) t->handle.destroy();
    }
}

TaskId RealRuntime::spawn(std::string name, int, const std::function<Task(Ctx&)>& program) {
    const auto id = static_cast<TaskId>(tasks_.size());
    auto slot = std::make_unique<TaskSlot>();
    slot->name = std::move(name);
    slot->ctx = std::make_unique<Ctx>(*this, nullptr, this, id);
    slot->handle = program(*slot->ctx).release();
    tasks_.push_back(std::move(slot));
    return id;
}

const std::string& RealRuntime::task_name(TaskId id) const { return tasks_[static_cast<std::size_t>(id)]->name; }


void RealRuntime::run() {
    buffers_.assign(tasks_.size(), {});
    for (auto& b : buffers_) b.events.reserve(options_.record ? std::min<std::size_t>(options_.max_events_per_task, 1 << 16) : 0);
    std::atomic<bool> go{false};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    threads.reserve(tasks_.size());
    for (auto& slot : tasks_) {
        TaskSlot* t = slot.get();
        threads.emplace_back([t, &go, &ready] {
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            try {
                // Every step is ready at once on real threads: one resume runs the program to its end.
                t->handle.resume();
                if (t->handle.promise().error) std::rethrow_exception(t->handle.promise().error);
                if (!t->handle.done()) t->error = "the program suspended on a step that has no real-thread form";
            } catch (const std::exception& e) {
                t->error = e.what();
            }
        });
    }
    while (ready.load() < static_cast<int>(tasks_.size())) std::this_thread::yield();
    start_ = std::chrono::steady_clock::now();
    go.store(true, std::memory_order_release);
    for (auto& th : threads) th.join();
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    for (auto& t : tasks_) {
        if (!t->error.empty() && error_.empty()) error_ = t->name + ": " + t->error;
    }
    merge();
    finished_.store(true, std::memory_order_release);
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
    for (std::size_t t = 0; t < buffers_.size(); ++t) {
        dropped_ += buffers_[t].dropped;
        for (std::size_t i = 0; i < buffers_[t].events.size(); ++i) {
            all.push_back({buffers_[t].events[i].ns, static_cast<TaskId>(t), i});
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const Ref& a, const Ref& b) { return a.ns < b.ns; });
    std::uint64_t step = 0;
    for (const Ref& r : all) {
        const Recorded& e = buffers_[static_cast<std::size_t>(r.task)].events[r.index];
        trace_.add({step++, e.ns, r.task, r.task, e.object, e.kind, e.value, {}});
    }
    buffers_.clear();
}

}  // namespace such::engine

namespace such::engine {
void YieldStep::run_real(RealRuntime& rt) {
    rt.record(ctx_->id(), EventKind::Yield, kNone, 0);
    std::this_thread::yield();
}
}  // namespace such::engine
