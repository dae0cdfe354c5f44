// Real processes, pipes and a shared page (engine/os_process.hpp). The POSIX
// calls sit in one block for Linux; other builds (WebAssembly) get refusals.
//
// Index
//   [SECTION] The system calls - Linux, or refusals elsewhere
//   [SECTION] Pipes
//   [SECTION] Processes
//   [SECTION] The shared page
#include "engine/os_process.hpp"

#include <stdexcept>

#if defined(__linux__)
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <system_error>

extern char** environ;
#endif
#include <new>

namespace such::engine {

namespace {

[[noreturn]] void real_threads_only(const Object& o) { throw std::logic_error(o.name() + ": a real process runs on real threads only"); }

// [SECTION] The system calls

#if defined(__linux__)

constexpr bool kAvailable = true;

std::string why(int error) { return std::system_category().message(error); }

// pipe2 with O_CLOEXEC: no other child a thread of ours starts inherits an
// end, which would keep end of file from coming.
std::string open_pipe(int fd[2]) { return ::pipe2(fd, O_CLOEXEC) == 0 ? "" : why(errno); }

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// posix_spawnp: no copy of this process's memory and no code of ours in the
// child, so it is safe from a multithreaded process.
std::string spawn(const std::vector<std::string>& argv, int in, int out, int& pid) {
    if (argv.empty()) return "no program";
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (in >= 0) posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
    if (out >= 0) posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
    pid_t child = -1;
    const int rc = ::posix_spawnp(&child, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return why(rc);
    pid = child;
    return "";
}

std::string fork_child(OsProcess::ChildBody body, void* arg, int& pid) {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(body(arg));  // the child: the body, then out (no destructors, no atexit)
    if (child < 0) return why(errno);
    pid = child;
    return "";
}

// The exit status, or -N when signal N killed it.
int reap(int pid) {
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1;
}

void kill_and_reap(int pid) {
    ::kill(pid, SIGKILL);
    reap(pid);
}

// tee(2) copies what waits in a pipe into another pipe without taking it.
std::string peek_pipe(int fd) {
    int copy[2];
    if (fd < 0 || ::pipe2(copy, O_CLOEXEC) != 0) return "";
    const ssize_t n = ::tee(fd, copy[1], 1 << 16, SPLICE_F_NONBLOCK);
    ::close(copy[1]);
    std::string out(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        const ssize_t r = ::read(copy[0], out.data() + got, out.size() - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += static_cast<std::size_t>(r);
    }
    ::close(copy[0]);
    out.resize(got);
    return out;
}

std::string read_pipe(int fd, std::size_t max) {
    std::string out(max, '\0');
    ssize_t n = -1;
    while (fd >= 0 && (n = ::read(fd, out.data(), max)) < 0 && errno == EINTR) {
    }
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

// The shared page's layout: it lives in the mapping, so every child sees the same one.
struct Page {
    pthread_mutex_t mu;
    std::int64_t contended;  // under mu
    std::int64_t values[SharedPage::kValues];
};

// Robust: if a child dies holding the lock, the next to lock gets it (EOWNERDEAD) instead of waiting for good.
std::string map_page(Page*& page) {
    void* p = ::mmap(nullptr, sizeof(Page), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return why(errno);
    page = new (p) Page{};
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&page->mu, &attr);
    pthread_mutexattr_destroy(&attr);
    return "";
}

void unmap_page(Page* page) {
    pthread_mutex_destroy(&page->mu);
    ::munmap(page, sizeof(Page));
}

void lock_page(Page& page) {
    int rc = pthread_mutex_trylock(&page.mu);
    const bool held = rc == EBUSY;
    if (held) rc = pthread_mutex_lock(&page.mu);
    if (rc == EOWNERDEAD) pthread_mutex_consistent(&page.mu);
    page.contended += held;
}

void unlock_page(Page& page) { pthread_mutex_unlock(&page.mu); }

// Lock-free, so safe in a forked child.
std::int64_t load_value(std::int64_t& v) { return std::atomic_ref<std::int64_t>(v).load(); }
void store_value(std::int64_t& v, std::int64_t value) { std::atomic_ref<std::int64_t>(v).store(value); }

#else

constexpr bool kAvailable = false;
const std::string kNoProcesses = "this build cannot start processes (a web page cannot fork)";

std::string open_pipe(int[2]) { return kNoProcesses; }
void close_fd(int& fd) { fd = -1; }
std::string spawn(const std::vector<std::string>&, int, int, int&) { return kNoProcesses; }
std::string fork_child(OsProcess::ChildBody, void*, int&) { return kNoProcesses; }
int reap(int) { return -1; }
void kill_and_reap(int) {}
std::string peek_pipe(int) { return ""; }
std::string read_pipe(int, std::size_t) { return ""; }
struct Page {
    std::int64_t contended;
    std::int64_t values[SharedPage::kValues];
};
std::string map_page(Page*&) { return kNoProcesses; }
void unmap_page(Page*) {}
void lock_page(Page&) {}
void unlock_page(Page&) {}
std::int64_t load_value(std::int64_t& v) { return v; }
void store_value(std::int64_t& v, std::int64_t value) { v = value; }

#endif

Page& page_of(void* page) { return *static_cast<Page*>(page); }

}  // namespace

bool os_processes_available() { return kAvailable; }

// [SECTION] Pipes

OsPipe::~OsPipe() {
    close_fd(fd_[0]);
    close_fd(fd_[1]);
}

Snapshot OsPipe::snapshot() const {
    Snapshot s;
    s.value = std::to_string(seen_.size()) + " bytes seen: \"" + seen_ + "\"";
    return s;
}

OsPipe::PeekStep OsPipe::peek(Ctx& ctx) { return PeekStep(ctx, *this); }
OsPipe::ReadStep OsPipe::read(Ctx& ctx, std::size_t max) { return ReadStep(ctx, *this, max == 0 ? 1 : max); }

StepResult OsPipe::PeekStep::run(Scheduler&) { real_threads_only(p_); }

void OsPipe::PeekStep::run_real(RealRuntime& rt) {
    got_ = peek_pipe(p_.fd_[0]);
    p_.seen_ += got_;
    rt.record(ctx_->id(), EventKind::PipeWrite, object_, static_cast<std::int64_t>(got_.size()));
}

StepResult OsPipe::ReadStep::run(Scheduler&) { real_threads_only(p_); }

void OsPipe::ReadStep::run_real(RealRuntime& rt) {
    got_ = read_pipe(p_.fd_[0], max_);
    p_.seen_ += got_;
    rt.record(ctx_->id(), EventKind::PipeRead, object_, static_cast<std::int64_t>(got_.size()));
}

// [SECTION] Processes

OsProcess::~OsProcess() {
    if (pid_ > 0 && !exited_) kill_and_reap(pid_);
}

Snapshot OsProcess::snapshot() const {
    Snapshot s;
    if (pid_ < 0) {
        s.value = "not started";
    } else if (!exited_) {
        s.value = "pid " + std::to_string(pid_) + ", running";
    } else {
        s.value = "pid " + std::to_string(pid_) + (status_ < 0 ? ", killed by signal " + std::to_string(-status_) : ", exited with status " + std::to_string(status_));
    }
    return s;
}

OsProcess::StartStep OsProcess::start(Ctx& ctx, std::vector<std::string> argv, OsPipe* in, OsPipe* out) {
    return StartStep(ctx, *this, std::move(argv), in, out, nullptr, nullptr);
}
OsProcess::StartStep OsProcess::fork(Ctx& ctx, ChildBody body, void* arg) { return StartStep(ctx, *this, {}, nullptr, nullptr, body, arg); }
OsProcess::WaitStep OsProcess::wait(Ctx& ctx) { return WaitStep(ctx, *this); }

StepResult OsProcess::StartStep::run(Scheduler&) { real_threads_only(p_); }

void OsProcess::StartStep::run_real(RealRuntime& rt) {
    const std::vector<std::string> argv = std::move(argv_);
    std::string error = p_.pid_ >= 0 ? "already started" : "";
    for (OsPipe* pipe : {in_, out_}) {
        if (error.empty() && pipe && pipe->fd_[0] < 0 && pipe->fd_[1] < 0) error = open_pipe(pipe->fd_);
    }
    if (error.empty()) error = body_ ? fork_child(body_, arg_, p_.pid_) : spawn(argv, in_ ? in_->fd_[0] : -1, out_ ? out_->fd_[1] : -1, p_.pid_);
    // The child has its copies; the parent's would keep the other side from seeing end of file.
    if (in_) close_fd(in_->fd_[0]);
    if (out_) close_fd(out_->fd_[1]);
    if (!error.empty()) throw Panic(p_.name() + " cannot start: " + error);
    rt.record(ctx_->id(), EventKind::ProcessStart, object_, p_.pid_);
}

StepResult OsProcess::WaitStep::run(Scheduler&) { real_threads_only(p_); }

void OsProcess::WaitStep::run_real(RealRuntime& rt) {
    if (p_.pid_ < 0 || p_.exited_) return;
    p_.status_ = reap(p_.pid_);
    p_.exited_ = true;
    rt.record(ctx_->id(), EventKind::ProcessExit, object_, p_.status_);
}

// [SECTION] The shared page

std::string SharedPage::map() {
    if (page_) return "";
    Page* page = nullptr;
    if (std::string error = map_page(page); !error.empty()) return error;
    page_ = page;
    return "";
}

SharedPage::~SharedPage() {
    if (page_) unmap_page(static_cast<Page*>(page_));
}

void SharedPage::lock() { lock_page(page_of(page_)); }
void SharedPage::unlock() { unlock_page(page_of(page_)); }
std::int64_t& SharedPage::at(int i) { return page_of(page_).values[i]; }
std::int64_t SharedPage::load(int i) const { return load_value(page_of(page_).values[i]); }
void SharedPage::store(int i, std::int64_t v) { store_value(page_of(page_).values[i], v); }

std::int64_t SharedPage::contended() const {
    if (!page_) return 0;
    lock_page(page_of(page_));
    const std::int64_t n = page_of(page_).contended;
    unlock_page(page_of(page_));
    return n;
}

std::int64_t SharedPage::value(int i) const {
    if (!page_) return 0;
    lock_page(page_of(page_));
    const std::int64_t v = page_of(page_).values[i];
    unlock_page(page_of(page_));
    return v;
}

Snapshot SharedPage::snapshot() const {
    Snapshot s;
    s.value = page_ ? "" : "not mapped";
    for (int i = 0; page_ && i < kValues; ++i) s.value += (i ? ", " : "") + std::to_string(value(i));
    return s;
}

}  // namespace such::engine
