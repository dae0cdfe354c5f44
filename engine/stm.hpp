// Software transactional memory in the style of TL2 (Dice, Shalev, Shavit
// 2006): a global version clock; transactions read optimistically, buffer
// their writes, and at commit lock their write set, validate their read set,
// take a new version and publish. A conflict aborts the attempt, drops its
// buffered writes and runs it again. `retry` sleeps until something it read
// changes; `or_else` tries a second branch when the first retries; `defer`
// queues an irreversible effect that runs only after the commit.
//
// On the simulator every read, buffered write, lock, validation and publish
// is a step, so a speaker sees the rollback happen; on real threads the same
// code is a real concurrent STM over std::atomic words. On a native thread
// (a thread per task, where every step runs at once) atomically runs the
// steps around the body as plain calls, a read that finds the attempt doomed
// drops the body's frames instead of throwing (atomically_direct takes a
// body that is a plain function, with no frames or steps), and each thread
// counts its statistics on cache lines of its own: a transaction there
// allocates nothing and writes no shared word but the ones TL2 needs (the
// clock, its write set).
//
// Index
//   [SECTION] TVar       - a transactional variable: value, version, commit lock
//   [SECTION] Stm        - the version clock, statistics, sleeping retries
//   [SECTION] Tx         - one transaction: read set, write set, its steps
//   [SECTION] atomically - run a transaction until it commits
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "engine/co.hpp"
#include "engine/real_runtime.hpp"
#include "engine/scheduler.hpp"

namespace such::engine {

class Tx;
class Stm;

enum class AbortCause {
    ReadChanged,       // a variable read was committed by another after we began
    ReadLocked,        // a variable read was being committed at that moment
    LockBusy,          // at commit, another committer held a lock we needed
    ValidationFailed,  // at commit, a variable we read had changed
};
inline constexpr int kAbortCauses = 4;
std::string_view to_string(AbortCause cause);

struct StmStats {
    std::uint64_t attempts = 0;
    std::uint64_t commits = 0;
    std::uint64_t aborts[kAbortCauses] = {};
    std::uint64_t retries = 0;   // times a transaction went to sleep in `retry`
    std::uint64_t effects = 0;   // deferred effects run after commits
    std::uint64_t aborts_total() const;
};

// [SECTION] TVar

// Holds any integral value in a 64-bit word; the word `lock_` packs the
// version (the clock value of its last commit) with a commit-lock bit. The
// words transactions touch start a cache line of their own (the object is
// then a whole number of lines), so two variables never share a line.
class TVarCell : public Object {
public:
    TVarCell(std::string name, std::int64_t initial) : Object(std::move(name), ObjectKind::TVar), value_(initial) {}
    std::int64_t raw() const { return value_.load(); }
    std::uint64_t version() const { return lock_.load() >> 1; }
    TaskId committer() const { return committer_.load(std::memory_order_relaxed); }
    const std::vector<TaskId>& sleepers() const { return sleepers_; }
    bool locked() const { return lock_.load() & 1; }
    Snapshot snapshot() const override;

private:
    friend class Tx;
    friend class Stm;
    alignas(kCacheLine) std::atomic<std::int64_t> value_;
    std::atomic<std::uint64_t> lock_{0};
    std::atomic<TaskId> committer_{kNone};
    TaskId last_writer_ = kNone;
    std::vector<TaskId> sleepers_;  // simulator: retrying tasks that read it
    std::vector<TaskId> backoff_;   // simulator: aborted tasks waiting for its commit lock
};

template <class T>
class TVar : public TVarCell {
    static_assert(std::is_integral_v<T>, "a TVar holds an integral value");

public:
    TVar(std::string name, T initial) : TVarCell(std::move(name), static_cast<std::int64_t>(initial)) {}
    T value() const { return static_cast<T>(raw()); }
};

// [SECTION] Stm

// Real threads: one thread's counts (attempts, commits, retries, effects,
// aborts by cause), written by that thread alone, on lines of their own.
struct alignas(kCacheLine) StmThreadCounts {
    std::atomic<std::uint64_t> n[5 + kAbortCauses] = {};
    std::thread::id owner;
};

class Stm final : public Object {
public:
    explicit Stm(std::string name = "version clock");
    std::uint64_t clock() const { return clock_.load(); }
    StmStats stats() const;
    Snapshot snapshot() const override;
    // Simulator: the transaction a task runs (or ran last); null if none yet.
    const Tx* tx_of(TaskId task) const;
    Tx& sim_tx(Ctx& ctx);

private:
    friend class Tx;
    void wake_sleepers();
    // Real threads: the calling thread's counts (made at its first transaction).
    StmThreadCounts& counts_here();

    // The clock, written by every commit that writes, on a line of its own
    // with what each such commit reads next (whether anyone sleeps in retry).
    alignas(kCacheLine) std::atomic<std::uint64_t> clock_{0};
    std::atomic<int> sleeping_{0};
    // Tells this Stm from an earlier one at the same address (Tx::for_thread).
    alignas(kCacheLine) const std::uint64_t serial_;
    std::atomic<std::uint64_t> counts_[5 + kAbortCauses] = {};  // simulator
    std::vector<std::unique_ptr<Tx>> sim_txs_;
    mutable std::mutex threads_mutex_;
    std::vector<std::unique_ptr<StmThreadCounts>> thread_counts_;
    // Real threads: retrying transactions sleep here until a commit.
    std::mutex sleep_mutex_;
    std::condition_variable sleep_cv_;
};

// [SECTION] Tx

// A transaction's read or write set: a growing array of plain records, kept
// from one transaction to the next. Not a std::vector: its append, inlined
// into every read and write, carried the whole reallocation path with it
// (the registers it saves cost a native thread's read a third of its
// instructions); here growing is a call of its own, almost never made.
template <class T>
class TxLog {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    TxLog() = default;
    TxLog(const TxLog& other) { *this = other; }
    TxLog& operator=(const TxLog& other) {
        if (this != &other) {
            size_ = 0;
            for (const T& t : other) push(t);
        }
        return *this;
    }
    ~TxLog() { delete[] data_; }

    void push(const T& t) {
        if (size_ == capacity_) [[unlikely]] grow();
        data_[size_++] = t;
    }
    void clear() { size_ = 0; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& front() const { return data_[0]; }

private:
    [[gnu::noinline]] void grow() {
        const std::size_t capacity = capacity_ ? 2 * capacity_ : 8;
        T* bigger = new T[capacity];
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = data_[i];
        delete[] data_;
        data_ = bigger;
        capacity_ = capacity;
    }
    T* data_ = nullptr;
    std::size_t size_ = 0, capacity_ = 0;
};

struct TxAbort {};  // thrown inside a body when its attempt is doomed
struct TxRetry {};  // thrown by Tx::retry

enum class TxStatus { Idle, Running, Committing, Committed, Aborted, Waiting };
std::string_view to_string(TxStatus status);

class Tx {
public:
    struct Read {
        TVarCell* var;
        std::uint64_t version;  // the version seen
        int check;              // validation at commit: 0 not yet, 1 passed, -1 failed
    };
    struct Write {
        TVarCell* var;
        std::int64_t value;
        enum State { Buffered, Locked, Landed, Dropped } state;
        ObjectId id;  // var's, kept here: commits sort by it
    };

    Tx(Stm& stm, Ctx& ctx) : stm_(&stm), ctx_(&ctx) {}

    // --- what a transaction body uses ---
    // Marks the listing line of the next step, as Ctx::at does.
    Tx& at(int line) {
        ctx_->at(line);
        return *this;
    }
    template <class T>
    class ReadStep;
    class WriteStep;
    template <class T>
    ReadStep<T> read(TVar<T>& var) { return ReadStep<T>(*this, var); }
    template <class T>
    WriteStep write(TVar<T>& var, T value);
    // Gives up this attempt and sleeps until a variable read so far changes.
    [[noreturn]] void retry() { throw TxRetry{}; }
    // Runs `effect` once after this transaction commits; never if it aborts.
    void defer(std::string label, std::function<void()> effect) { effects_.push_back({std::move(label), std::move(effect)}); }
    // Runs `first`; if it retries, drops its writes and runs `second` instead.
    template <class F, class G>
    auto or_else(F first, G second) -> std::invoke_result_t<F&, Tx&>;

    // --- a body that is a plain function (atomically_direct, native threads) ---
    // The same read and buffered write as the steps above, as plain calls:
    // a read that finds the attempt doomed throws TxAbort, which
    // atomically_direct catches (a plain function has no frames to drop).
    template <class T>
    T read_now(TVar<T>& var) {
        std::int64_t seen = 0;
        if (!load(var, seen)) throw TxAbort{};
        ctx_->real()->record(ctx_->id(), EventKind::TxRead, var.id(), seen);
        return static_cast<T>(seen);
    }
    template <class T>
    void write_now(TVar<T>& var, T value) {
        buffer(var, static_cast<std::int64_t>(value));
        ctx_->real()->record(ctx_->id(), EventKind::TxWrite, var.id(), static_cast<std::int64_t>(value));
    }

    // --- what views and tests read ---
    TxStatus status() const { return status_; }
    int attempt() const { return attempt_; }
    std::uint64_t read_version() const { return rv_; }
    std::uint64_t write_version() const { return wv_; }
    const TxLog<Read>& reads() const { return reads_; }
    const TxLog<Write>& writes() const { return writes_; }
    std::optional<AbortCause> last_abort() const { return last_abort_; }
    std::uint64_t commits() const { return commits_; }

    // --- what atomically uses ---
    class BeginStep;
    class LockStep;
    class UnlockStep;
    class ClockStep;
    class ValidateStep;
    class PublishStep;
    class EndStep;
    class BackoffStep;
    class RetryStep;
    class EffectStep;
    BeginStep begin();
    Co<bool> commit();
    // Real threads: this thread's transaction, reused so that its read and
    // write sets keep their memory from one transaction to the next.
    static Tx& for_thread(Stm& stm, Ctx& ctx);
    // Remembers the line the transaction starts on (each attempt starts there).
    void enter() { first_line_ = ctx_->line(); }
    // After a failed attempt: a retry sleeps until something read changes;
    // an abort rolls back and, if a commit lock made it fail, waits for that
    // commit to end first (a contention manager: no spinning, no livelock).
    Co<void> again(bool retried);
    Co<void> run_effects();
    // A native thread, where every step runs at once: the same steps as
    // begin, commit, again and run_effects, called straight through.
    void begin_now();
    bool commit_now();
    void again_now(bool retried);
    void effects_now() {
        if (!effects_.empty()) run_effects_now();
    }

private:
    friend class Stm;
    friend class TxReadBase;
    struct Effect {
        std::string label;
        std::function<void()> run;
    };
    // Counts an attempt, a commit, an abort...: on the simulator straight into
    // the Stm's counters (the views show them live); on a real thread into its
    // own, which only it writes (a load and a store, no locked instruction),
    // on lines no other thread writes.
    void count(int counter) {
        if (!counts_) {
            stm_->counts_[counter].fetch_add(1, std::memory_order_relaxed);
            return;
        }
        std::atomic<std::uint64_t>& n = counts_->n[counter];
        n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    void doom(AbortCause cause);
    // Sorts the write set by object id: commits lock in one global order.
    void order_writes();
    // Reads `var` for the body: from the write set, or checked against rv.
    // TL2's read: the lock word before and after the value must be equal,
    // unlocked, and no newer than the start version.
    bool load(TVarCell& var, std::int64_t& out) {
        for (const Write& w : writes_) {
            if (w.var == &var) {
                out = w.value;
                return true;
            }
        }
        const std::uint64_t before = var.lock_.load(std::memory_order_acquire);
        out = var.value_.load(std::memory_order_acquire);
        const std::uint64_t after = var.lock_.load(std::memory_order_acquire);
        if ((before & 1) || before != after || (before >> 1) > rv_) [[unlikely]] return refuse(var, before, after);
        // The simulator's read set names each variable once (the views list
        // it, retry sleeps on each); a real thread's may name one twice, which
        // validates it twice and costs less than looking for it at every read.
        if (!counts_) {
            for (const Read& r : reads_) {
                if (r.var == &var) return true;
            }
        }
        reads_.push({&var, before >> 1, 0});
        return true;
    }
    // The commit's operations on one variable, shared by the simulator's
    // steps and a native thread's commit_now: takes the write's commit lock
    // (false: another committer holds it, and the attempt is doomed), gives
    // it back after a failed commit, lands the buffered value and unlocks.
    bool lock(Write& w);
    void unlock(Write& w);
    void land(Write& w);
    // A new attempt: the start version from the clock, empty sets.
    void start_attempt();
    void run_effects_now();
    // A read that dooms the attempt: tells why, and returns false.
    [[gnu::cold]] bool refuse(TVarCell& var, std::uint64_t before, std::uint64_t after);
    // Buffers a write in the write set (a second write replaces the first).
    void buffer(TVarCell& var, std::int64_t value) {
        for (Write& w : writes_) {
            if (w.var == &var) {
                w.value = value;
                return;
            }
        }
        writes_.push({&var, value, Write::Buffered, var.id()});
    }

    Stm* stm_;
    Ctx* ctx_;
    TxStatus status_ = TxStatus::Idle;
    int attempt_ = 0;
    std::uint64_t rv_ = 0, wv_ = 0, commits_ = 0;
    bool doomed_ = false;
    TVarCell* busy_ = nullptr;  // the locked variable that doomed this attempt
    int first_line_ = 0;
    std::optional<AbortCause> last_abort_;
    TxLog<Read> reads_;
    TxLog<Write> writes_;
    std::vector<Effect> effects_;
    // Real threads: this thread's counts in the Stm it last ran for.
    StmThreadCounts* counts_ = nullptr;
    std::uint64_t counts_serial_ = 0;
};

// A read inside a transaction; resumes with the value, or unwinds the body
// (TxAbort) when the variable changed since the transaction began.
class TxReadBase : public Step {
public:
    TxReadBase(Tx& tx, Ctx& ctx, TVarCell& var) : Step(ctx, var.id()), tx_(tx), var_(var) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxRead; }
    Access access() const override { return Access::Read; }
    // A native thread: a read that dooms the attempt leaves the body
    // suspended here for good; atomically drops its frames (no exception,
    // which costs microseconds). Elsewhere a step like any other.
    bool await_ready() {
        if (ctx_->steps_at_once()) {
            read_now(*ctx_->real());
            return ok_;
        }
        return Step::await_ready();
    }
    void await_suspend(coro::handle<> caller) noexcept {
        if (!ctx_->steps_at_once()) Step::await_suspend(caller);
    }

protected:
    void read_now(RealRuntime& rt) {
        ok_ = tx_.load(var_, seen_);
        rt.record(ctx_->id(), EventKind::TxRead, object_, seen_);
    }
    std::int64_t result() {
        if (!ok_) throw_abort();
        return seen_;
    }
    [[noreturn]] static void throw_abort();
    Tx& tx_;
    TVarCell& var_;
    std::int64_t seen_ = 0;
    bool ok_ = false;
};

template <class T>
class Tx::ReadStep final : public TxReadBase {
public:
    ReadStep(Tx& tx, TVar<T>& var) : TxReadBase(tx, *tx.ctx_, var) {}
    T await_resume() { return static_cast<T>(result()); }
};

// Buffers a write in the write set: a step on the transaction's own state.
class Tx::WriteStep final : public Step {
public:
    WriteStep(Tx& tx, TVarCell& var, std::int64_t value) : Step(*tx.ctx_, kNone), tx_(tx), var_(var), value_(value) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxWrite; }
    // A native thread: buffers at once, with no call (as run_real would).
    bool await_ready() {
        if (ctx_->steps_at_once()) {
            tx_.buffer(var_, value_);
            ctx_->real()->record(ctx_->id(), EventKind::TxWrite, var_.id(), value_);
            return true;
        }
        return Step::await_ready();
    }
    void await_resume() const {}

private:
    Tx& tx_;
    TVarCell& var_;
    std::int64_t value_;
};

// The steps atomically takes around the body. Each touches one object (or
// only the transaction's own state), so the explorer can tell which commute.
class Tx::BeginStep final : public Step {  // reads the clock: the start version
public:
    explicit BeginStep(Tx& tx) : Step(*tx.ctx_, tx.stm_->id()), tx_(tx) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxBegin; }
    Access access() const override { return Access::Read; }  // reads the clock
    void await_resume() const {}

private:
    Tx& tx_;
};

class Tx::LockStep final : public Step {  // takes one commit lock, or finds it busy
public:
    LockStep(Tx& tx, Write& w) : Step(*tx.ctx_, w.id), tx_(tx), w_(w) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxLock; }
    void await_resume() const {}

private:
    Tx& tx_;
    Write& w_;
};

class Tx::UnlockStep final : public Step {  // gives a lock back after a failed commit
public:
    UnlockStep(Tx& tx, Write& w) : Step(*tx.ctx_, w.id), tx_(tx), w_(w) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxUnlock; }
    void await_resume() const {}

private:
    Tx& tx_;
    Write& w_;
};

class Tx::ClockStep final : public Step {  // takes the commit's version
public:
    explicit ClockStep(Tx& tx) : Step(*tx.ctx_, tx.stm_->id()), tx_(tx) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxClock; }
    void await_resume() const {}

private:
    Tx& tx_;
};

class Tx::ValidateStep final : public Step {  // checks one read against the start version
public:
    ValidateStep(Tx& tx, Read& r) : Step(*tx.ctx_, r.var->id()), tx_(tx), r_(r) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxValidate; }
    Access access() const override { return Access::Read; }
    void await_resume() const {}

private:
    bool check();
    Tx& tx_;
    Read& r_;
};

class Tx::PublishStep final : public Step {  // lands one buffered write and unlocks
public:
    PublishStep(Tx& tx, Write& w) : Step(*tx.ctx_, w.id), tx_(tx), w_(w) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxPublish; }
    void await_resume() const {}

private:
    Tx& tx_;
    Write& w_;
};

class Tx::EndStep final : public Step {  // the commit, or the rollback of an attempt
public:
    EndStep(Tx& tx, bool committed) : Step(*tx.ctx_, kNone), tx_(tx), committed_(committed) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return committed_ ? EventKind::TxCommit : EventKind::TxAbort; }
    void await_resume() const {}

private:
    void finish();
    Tx& tx_;
    bool committed_;
};

class Tx::BackoffStep final : public Step {  // waits until a commit lock is released
public:
    explicit BackoffStep(Tx& tx) : Step(*tx.ctx_, tx.busy_->id()), var_(*tx.busy_) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::LockWait; }
    void await_resume() const {}

private:
    TVarCell& var_;
    bool waiting_ = false;
};

class Tx::RetryStep final : public Step {  // sleeps until a variable read changes
public:
    explicit RetryStep(Tx& tx) : Step(*tx.ctx_, tx.reads_.empty() ? kNone : tx.reads_.front().var->id()), tx_(tx) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxRetry; }
    Access access() const override { return Access::Many; }  // every variable it read
    void await_resume() const {}

private:
    bool changed() const;
    Tx& tx_;
    bool sleeping_ = false;
};

class Tx::EffectStep final : public Step {  // one deferred effect, after the commit
public:
    EffectStep(Tx& tx, Effect& e) : Step(*tx.ctx_, kNone), tx_(tx), e_(e) {}
    StepResult run(Scheduler& sched) override;
    void run_real(RealRuntime& rt) override;
    EventKind kind() const override { return EventKind::TxEffect; }
    void await_resume() const {}

private:
    Tx& tx_;
    Effect& e_;
};

template <class T>
Tx::WriteStep Tx::write(TVar<T>& var, T value) {
    return WriteStep(*this, var, static_cast<std::int64_t>(value));
}

template <class F, class G>
auto Tx::or_else(F first, G second) -> std::invoke_result_t<F&, Tx&> {
    const TxLog<Write> saved = writes_;
    const std::size_t saved_effects = effects_.size();
    bool retried = false;
    try {
        co_return co_await first(*this);
    } catch (const TxRetry&) {
        retried = true;
    }
    if (retried) {
        writes_ = saved;
        effects_.resize(saved_effects);
        co_await ComputeStep(*ctx_, "first branch retries: its writes are dropped, the second runs", 0);
    }
    co_return co_await second(*this);
}

// [SECTION] atomically

enum class TxEnd { Commit, Abort, Retry };  // how an attempt ended (a named type: g++ 12 crashes on local ones in coroutines)

namespace detail {

// A native thread (a thread per task, where every step runs at once):
// runs the transaction to its commit here and now, the steps around the body
// as plain calls. `attempt(tx, result)` runs the body once: true if it ended
// (its value, if any, in result), false if a read found the attempt doomed;
// it may also throw TxAbort or TxRetry.
template <class R, class Attempt>
R atomically_now(Ctx& ctx, Stm& stm, Attempt&& attempt) {
    Tx& tx = Tx::for_thread(stm, ctx);
    tx.enter();
    for (;;) {
        tx.begin_now();
        TxEnd end = TxEnd::Commit;
        std::optional<std::conditional_t<std::is_void_v<R>, bool, R>> result;
        try {
            if (!attempt(tx, result)) end = TxEnd::Abort;
        } catch (const TxAbort&) {
            end = TxEnd::Abort;
        } catch (const TxRetry&) {
            end = TxEnd::Retry;
        }
        if (end == TxEnd::Commit && !tx.commit_now()) end = TxEnd::Abort;
        if (end != TxEnd::Commit) {
            tx.again_now(end == TxEnd::Retry);
            continue;
        }
        tx.effects_now();
        if constexpr (std::is_void_v<R>) {
            return;
        } else {
            return std::move(*result);
        }
    }
}

// A coroutine body on a native thread: nothing suspends but a doomed read
// (TxReadBase), so the body runs here; a body that did not end was doomed,
// and its frames go with the Co.
template <class R, class F>
R atomically_frames(Ctx& ctx, Stm& stm, F& body) {
    return atomically_now<R>(ctx, stm, [&body](Tx& tx, auto& result) {
        Co<R> attempt = body(tx);
        if (!attempt.run_here()) return false;
        if constexpr (std::is_void_v<R>) {
            attempt.await_resume();
        } else {
            result.emplace(attempt.await_resume());
        }
        return true;
    });
}

// Everywhere else (the simulator, green threads): every step is awaited.
template <class R, class F>
Co<R> atomically_steps(Ctx& ctx, Stm& stm, F body) {
    // A pointer, not a reference: g++ 12 crashes on some reference locals in coroutines.
    Tx* tx = ctx.real() ? &Tx::for_thread(stm, ctx) : &stm.sim_tx(ctx);
    tx->enter();
    for (;;) {
        co_await tx->begin();
        TxEnd end = TxEnd::Commit;
        std::optional<std::conditional_t<std::is_void_v<R>, bool, R>> result;
        try {
            if constexpr (std::is_void_v<R>) {
                co_await body(*tx);
            } else {
                result = co_await body(*tx);
            }
        } catch (const TxAbort&) {
            end = TxEnd::Abort;
        } catch (const TxRetry&) {
            end = TxEnd::Retry;
        }
        if (end == TxEnd::Commit) {
            const bool committed = co_await tx->commit();
            if (!committed) end = TxEnd::Abort;
        }
        if (end != TxEnd::Commit) {
            co_await tx->again(end == TxEnd::Retry);
            continue;
        }
        co_await tx->run_effects();
        if constexpr (std::is_void_v<R>) {
            co_return;
        } else {
            co_return std::move(*result);
        }
    }
}

}  // namespace detail

// Runs `body` (a function Tx& -> Co<R>) as a transaction until it commits,
// then runs its deferred effects, and gives back the body's result. On a
// native thread the transaction runs when atomically is called (in the
// co_await that calls it) and the Co it returns has already ended; elsewhere
// it runs when awaited, a step at a time.
template <class F, class R = typename std::invoke_result_t<F&, Tx&>::value_type>
Co<R> atomically(Ctx& ctx, Stm& stm, F body) {
    if (ctx.steps_at_once()) {
        if constexpr (std::is_void_v<R>) {
            detail::atomically_frames<R>(ctx, stm, body);
            return Co<R>::done();
        } else {
            return Co<R>::done(detail::atomically_frames<R>(ctx, stm, body));
        }
    }
    return detail::atomically_steps<R>(ctx, stm, std::move(body));
}

// Runs `body`, a plain function Tx& -> R that reads with tx.read_now and
// writes with tx.write_now, as a transaction until it commits, and gives back
// its result: the same TL2 as atomically (the same read, commit and
// rollback), without a coroutine frame and a step object for every read,
// which cost a native thread more than the algorithm's own work (callgrind,
// one thread: a read-only check of four accounts, 615 instructions with a
// coroutine body, 358 with a plain one). `retry` and `defer` work as in
// atomically; `or_else` is a coroutine's. Native threads only: on the simulator every read must be a step the
// scheduler can put another task's steps between, and a plain function
// cannot stop there (a logic_error says so).
template <class F, class R = std::invoke_result_t<F&, Tx&>>
R atomically_direct(Ctx& ctx, Stm& stm, F body) {
    if (!ctx.steps_at_once()) throw std::logic_error("atomically_direct runs on a native thread only: elsewhere each read is a step, use atomically");
    return detail::atomically_now<R>(ctx, stm, [&body](Tx& tx, auto& result) {
        if constexpr (std::is_void_v<R>) {
            body(tx);
        } else {
            result.emplace(body(tx));
        }
        return true;
    });
}

}  // namespace such::engine
