// Real operating-system processes, for scenes on real threads: a child that
// runs a program (posix_spawnp) or a function of ours in a copy of this
// process (fork), waitpid for its exit status, pipe(2)s between children and
// the parent, and a page of memory that stays shared across fork (mmap with
// MAP_SHARED | MAP_ANONYMOUS) with a mutex made for processes. POSIX calls,
// natively on Linux; where a build cannot start processes (WebAssembly),
// os_processes_available() is false and every step fails with a Panic.
// The simulated model of processes is engine/process.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

// True where this build can start processes (natively, on Linux).
bool os_processes_available();

class OsProcess;

// A pipe(2): the kernel's byte buffer between processes, opened when a child
// is started on one of its ends. The parent sees what crosses only when it
// reads the pipe, or peeks into it.
class OsPipe final : public Object {
public:
    explicit OsPipe(std::string name) : Object(std::move(name), ObjectKind::Kernel) {}
    ~OsPipe() override;
    // Every byte the parent has seen in the pipe (peeked or read), in order.
    const std::string& seen() const { return seen_; }
    Snapshot snapshot() const override;

    class PeekStep;
    class ReadStep;
    // The bytes waiting in the pipe, copied without taking them (tee(2)):
    // once the writer has exited, all it wrote. Records PipeWrite (value = bytes).
    PeekStep peek(Ctx& ctx);
    // 1..max bytes, waiting for them; "" at end of file. Records PipeRead (value = bytes).
    ReadStep read(Ctx& ctx, std::size_t max);

private:
    friend class OsProcess;
    int fd_[2] = {-1, -1};  // the read end, the write end
    std::string seen_;
};

// A child process, reaped by wait(). One still running when the object goes
// is killed and reaped, so no zombie is left behind.
class OsProcess final : public Object {
public:
    // What a forked child runs; its result is the child's exit status. The
    // child of a multithreaded process holds only the thread that forked, and
    // a lock another thread held (the heap's) stays held for good: the body
    // may only do async-signal-safe things, lock a SharedPage, and return.
    using ChildBody = int (*)(void* arg);

    explicit OsProcess(std::string name) : Object(std::move(name), ObjectKind::Kernel) {}
    ~OsProcess() override;
    int pid() const { return pid_; }  // -1 before it starts
    bool exited() const { return exited_; }
    int status() const { return status_; }  // the exit status; -N: killed by signal N
    Snapshot snapshot() const override;

    class StartStep;
    class WaitStep;
    // Runs argv[0], found on PATH as a shell finds it, with stdin from `in`'s
    // read end and stdout into `out`'s write end (nullptr: the parent's own;
    // a pipe not yet open is opened). The parent then closes its copies of
    // those ends, so each side sees end of file once the other's holders are
    // gone. Records ProcessStart (value = the pid).
    StartStep start(Ctx& ctx, std::vector<std::string> argv, OsPipe* in, OsPipe* out);
    // Forks: the child runs body(arg) and _exits with its result. Everything
    // the body touches must be ready before. Records ProcessStart.
    StartStep fork(Ctx& ctx, ChildBody body, void* arg);
    // Waits for the child to end and reaps it. Records ProcessExit (value = status()).
    WaitStep wait(Ctx& ctx);

private:
    int pid_ = -1;
    bool exited_ = false;
    int status_ = 0;
};

// One page of memory that a process and the children it forks share: a few
// integers and a mutex set up for processes (PTHREAD_PROCESS_SHARED). A
// child's writes here are the parent's too; its writes to any other memory
// land in its own copy (copy-on-write).
class SharedPage final : public Object {
public:
    static constexpr int kValues = 8;
    explicit SharedPage(std::string name) : Object(std::move(name), ObjectKind::Kernel) {}
    ~SharedPage() override;
    // Maps the page and sets up its mutex, before any fork; "" or why it cannot.
    std::string map();
    bool mapped() const { return page_ != nullptr; }
    // Safe in a forked child, as are at(), load() and store(). Hold the lock
    // around at() while another process may write the same value.
    void lock();
    void unlock();
    std::int64_t& at(int i);  // 0 <= i < kValues
    // Value i as an atomic, without the lock (a start line, a flag).
    std::int64_t load(int i) const;
    void store(int i, std::int64_t v);
    // Value i, read under the lock (0 while unmapped).
    std::int64_t value(int i) const;
    // How many times lock() found the mutex held by another and had to wait.
    std::int64_t contended() const;
    Snapshot snapshot() const override;

private:
    void* page_ = nullptr;  // the mapping (its layout is engine/os_process.cpp's)
};

// [SECTION] Steps (real threads only: on the simulator they are a bug)

class OsPipe::PeekStep final : public Step {
public:
    PeekStep(Ctx& ctx, OsPipe& p) : Step(ctx, p.id()), p_(p) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::PipeWrite; }
    std::string await_resume() { return std::move(got_); }

private:
    OsPipe& p_;
    std::string got_;
};

class OsPipe::ReadStep final : public Step {
public:
    ReadStep(Ctx& ctx, OsPipe& p, std::size_t max) : Step(ctx, p.id()), p_(p), max_(max) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::PipeRead; }
    std::string await_resume() { return std::move(got_); }

private:
    OsPipe& p_;
    std::size_t max_;
    std::string got_;
};

class OsProcess::StartStep final : public Step {
public:
    StartStep(Ctx& ctx, OsProcess& p, std::vector<std::string> argv, OsPipe* in, OsPipe* out, ChildBody body, void* arg)
        : Step(ctx, p.id()), p_(p), argv_(std::move(argv)), in_(in), out_(out), body_(body), arg_(arg) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ProcessStart; }
    int await_resume() const { return p_.pid_; }

private:
    OsProcess& p_;
    std::vector<std::string> argv_;  // emptied when it runs (see SleepStep on g++ 12 and co_await temporaries)
    OsPipe* in_;
    OsPipe* out_;
    ChildBody body_;
    void* arg_;
};

class OsProcess::WaitStep final : public Step {
public:
    WaitStep(Ctx& ctx, OsProcess& p) : Step(ctx, p.id()), p_(p) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::ProcessExit; }
    int await_resume() const { return p_.status_; }

private:
    OsProcess& p_;
};

}  // namespace such::engine
