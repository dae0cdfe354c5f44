// Private process memory and pipes, on the simulator and on real threads.
#include "engine/process.hpp"

#include <algorithm>

namespace such::engine {
namespace {
std::string quoted(const std::string& bytes) { return "\"" + bytes + "\""; }
}  // namespace

// [SECTION] Process memory

bool ProcessMemory::owns(TaskId task) const { return std::find(tasks_.begin(), tasks_.end(), task) != tasks_.end(); }

std::int64_t ProcessMemory::value(const std::string& name) const {
    const auto it = values_.find(name);
    return it == values_.end() ? 0 : it->second;
}

Snapshot ProcessMemory::snapshot() const {
    Snapshot s;
    for (const auto& [name, v] : values_) s.value += (s.value.empty() ? "" : ", ") + name + " = " + std::to_string(v);
    if (!text_.empty()) s.value += (s.value.empty() ? "" : ", ") + std::string("text ") + quoted(text_);
    if (s.value.empty()) s.value = "empty";
    return s;
}

ProcessMemory::AccessStep ProcessMemory::read(Ctx& ctx, std::string name) { return AccessStep(ctx, *this, AccessStep::Op::Read, std::move(name), 0, {}); }
ProcessMemory::AccessStep ProcessMemory::write(Ctx& ctx, std::string name, std::int64_t value) {
    return AccessStep(ctx, *this, AccessStep::Op::Write, std::move(name), value, {});
}
ProcessMemory::AccessStep ProcessMemory::append(Ctx& ctx, std::string bytes) { return AccessStep(ctx, *this, AccessStep::Op::Append, "text", 0, std::move(bytes)); }

// Sets error_ when the task is a stranger; false then.
bool ProcessMemory::AccessStep::perform(TaskId who, const std::string& who_name) {
    if (!m_.owns(who)) {
        error_ = who_name + " cannot " + (op_ == Op::Read ? "read " : "write ") + m_.name() + "'s memory: processes share nothing";
        return false;
    }
    switch (op_) {
    case Op::Read: value_ = m_.value(name_); break;
    case Op::Write: m_.values_[name_] = value_; break;
    case Op::Append: m_.text_ += bytes_; break;
    }
    return true;
}

// The label is the variable's name (appends: the bytes appended).
StepResult ProcessMemory::AccessStep::run(Scheduler& sched) {
    const bool ok = perform(sched.current(), sched.task_name(sched.current()));
    const Note note = !ok ? Note::Refused : op_ == Op::Append ? Note::Append : Note::Plain;
    sched.emit(kind(), object_, value_, {.note = note, .label = sched.label(op_ == Op::Append ? bytes_ : name_)});
    return StepResult::Done;
}

void ProcessMemory::AccessStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(m_.real_);
        perform(ctx_->id(), rt.task_name(ctx_->id()));
    }
    rt.record(ctx_->id(), kind(), object_, value_);
    await_resume();
}

std::int64_t ProcessMemory::AccessStep::await_resume() {
    if (!error_.empty()) throw Panic(error_);
    return value_;
}

// [SECTION] Pipes

Snapshot Pipe::snapshot() const {
    Snapshot s;
    s.value = quoted(bytes_) + " (" + std::to_string(bytes_.size()) + " of " + std::to_string(capacity_) + " bytes)" + (closed_ ? ", writer closed" : "");
    s.waiting = writers_;
    s.waiting.insert(s.waiting.end(), readers_.begin(), readers_.end());
    return s;
}

Pipe::WriteStep Pipe::write(Ctx& ctx, std::string bytes) { return WriteStep(ctx, *this, std::move(bytes)); }
Pipe::ReadStep Pipe::read(Ctx& ctx, std::size_t max) { return ReadStep(ctx, *this, std::max<std::size_t>(1, max)); }
Pipe::CloseStep Pipe::close(Ctx& ctx) { return CloseStep(ctx, *this); }

std::size_t Pipe::WriteStep::put() {
    const std::size_t n = std::min(left_.size(), p_.capacity_ - p_.bytes_.size());
    p_.bytes_ += left_.substr(0, n);
    left_.erase(0, n);
    return n;
}

namespace {
void wake_all(Scheduler& sched, std::vector<TaskId>& who) {
    for (TaskId t : who) sched.wake(t);
    who.clear();
}
}  // namespace

StepResult Pipe::WriteStep::run(Scheduler& sched) {
    if (p_.closed_) {
        broken_ = true;
        sched.emit(EventKind::PipeWrite, object_, 0, {.note = Note::Closed});
        return StepResult::Done;
    }
    const std::string before = left_;
    const std::size_t n = put();
    if (n > 0) wake_all(sched, p_.readers_);
    // The label is what was written; Partial: arg1 = the label of what waits.
    const int written = sched.label(before.substr(0, n));
    if (left_.empty()) {
        sched.emit(EventKind::PipeWrite, object_, static_cast<std::int64_t>(n), {.label = written});
        return StepResult::Done;
    }
    p_.writers_.push_back(sched.current());
    sched.emit(n ? EventKind::PipeWrite : EventKind::PipeWait, object_, static_cast<std::int64_t>(n),
               {.note = Note::Partial, .arg1 = sched.label(left_), .label = written});
    return StepResult::Blocked;
}

void Pipe::WriteStep::run_real(RealRuntime& rt) {
    std::unique_lock lock(p_.real_);
    while (!left_.empty() && !p_.closed_) {
        p_.real_cv_.wait(lock, [&] { return p_.bytes_.size() < p_.capacity_; });
        const std::size_t n = put();
        p_.real_cv_.notify_all();
        rt.record(ctx_->id(), EventKind::PipeWrite, object_, static_cast<std::int64_t>(n));
    }
    broken_ = !left_.empty();
    lock.unlock();
    await_resume();
}

void Pipe::WriteStep::await_resume() {
    if (broken_) throw Panic("write to the closed pipe " + p_.name());
}

void Pipe::ReadStep::take() {
    const std::size_t n = std::min(max_, p_.bytes_.size());
    got_ = p_.bytes_.substr(0, n);
    p_.bytes_.erase(0, n);
}

StepResult Pipe::ReadStep::run(Scheduler& sched) {
    if (p_.bytes_.empty() && !p_.closed_) {
        p_.readers_.push_back(sched.current());
        sched.emit(EventKind::PipeWait, object_, 0, {.note = Note::Recv});
        return StepResult::Blocked;
    }
    take();
    if (!got_.empty()) wake_all(sched, p_.writers_);
    sched.emit(EventKind::PipeRead, object_, static_cast<std::int64_t>(got_.size()),
               {.note = got_.empty() ? Note::Eof : Note::Plain, .label = sched.label(got_)});
    return StepResult::Done;
}

void Pipe::ReadStep::run_real(RealRuntime& rt) {
    std::unique_lock lock(p_.real_);
    p_.real_cv_.wait(lock, [&] { return !p_.bytes_.empty() || p_.closed_; });
    take();
    p_.real_cv_.notify_all();
    rt.record(ctx_->id(), EventKind::PipeRead, object_, static_cast<std::int64_t>(got_.size()));
}

StepResult Pipe::CloseStep::run(Scheduler& sched) {
    p_.closed_ = true;
    wake_all(sched, p_.readers_);
    wake_all(sched, p_.writers_);
    sched.emit(EventKind::PipeClose, object_, 0);
    return StepResult::Done;
}

void Pipe::CloseStep::run_real(RealRuntime& rt) {
    {
        std::lock_guard lock(p_.real_);
        p_.closed_ = true;
    }
    p_.real_cv_.notify_all();
    rt.record(ctx_->id(), EventKind::PipeClose, object_, 0);
}

}  // namespace such::engine
