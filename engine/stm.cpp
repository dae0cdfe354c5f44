// The STM's steps on both runtimes. Each step does its work once, in a helper
// shared by run() (simulator: also tells the views what happened) and
// run_real() (real threads: records the event).
//
// Memory order on real threads (the simulator runs one step at a time, and
// these orders change nothing there): a committer takes each lock with an
// acquire-release exchange, so its value stores (release) cannot be seen
// before its lock; a reader loads the lock word, the value and the lock word
// again, each with acquire, so a reader that saw a committer's new value also
// sees its lock or its new version, and aborts. The clock's increment is an
// acquire-release exchange too: a transaction that began after it (or
// validates after it) sees every lock the committer took before it. What
// needs sequential consistency is the commit's look at the retry sleepers
// (see Stm::wake_sleepers): its lock exchanges and that look are
// sequentially consistent, which on x86 costs nothing more.
//
// Index
//   [SECTION] Names and statistics
//   [SECTION] TVar and Stm
//   [SECTION] Reading and buffering
//   [SECTION] Commit
//   [SECTION] Rollback, retry, effects
#include "engine/stm.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace such::engine {
namespace {
constexpr std::uint64_t kLocked = 1;
// A spinning thread's hint to its core (x86's pause): it waits without
// flooding the memory system with loads of the line it waits on.
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
enum Counter { kAttempts, kCommits, kRetries, kEffects, kUnused, kAborts };
}  // namespace

// [SECTION] Names and statistics

std::string_view to_string(AbortCause cause) {
    switch (cause) {
    case AbortCause::ReadChanged: return "a variable read had changed";
    case AbortCause::ReadLocked: return "a variable read was being committed";
    case AbortCause::LockBusy: return "a commit lock was busy";
    case AbortCause::ValidationFailed: return "validation failed";
    }
    return "unknown";
}

std::string_view to_string(TxStatus status) {
    switch (status) {
    case TxStatus::Idle: return "idle";
    case TxStatus::Running: return "running";
    case TxStatus::Committing: return "committing";
    case TxStatus::Committed: return "committed";
    case TxStatus::Aborted: return "rolled back";
    case TxStatus::Waiting: return "waiting (retry)";
    }
    return "unknown";
}

namespace {
std::atomic<std::uint64_t> next_stm_serial{1};
}

Stm::Stm(std::string name) : Object(std::move(name), ObjectKind::Clock), serial_(next_stm_serial.fetch_add(1, std::memory_order_relaxed)) {}

std::uint64_t StmStats::aborts_total() const {
    std::uint64_t n = 0;
    for (std::uint64_t a : aborts) n += a;
    return n;
}

// The simulator's counts and every thread's, summed.
StmStats Stm::stats() const {
    std::uint64_t n[5 + kAbortCauses];
    for (int c = 0; c < 5 + kAbortCauses; ++c) n[c] = counts_[c].load(std::memory_order_relaxed);
    {
        std::lock_guard lock(threads_mutex_);
        for (const auto& t : thread_counts_) {
            for (int c = 0; c < 5 + kAbortCauses; ++c) n[c] += t->n[c].load(std::memory_order_relaxed);
        }
    }
    StmStats s;
    s.attempts = n[kAttempts];
    s.commits = n[kCommits];
    s.retries = n[kRetries];
    s.effects = n[kEffects];
    for (int c = 0; c < kAbortCauses; ++c) s.aborts[c] = n[kAborts + c];
    return s;
}

StmThreadCounts& Stm::counts_here() {
    const std::thread::id me = std::this_thread::get_id();
    std::lock_guard lock(threads_mutex_);
    for (const auto& t : thread_counts_) {
        if (t->owner == me) return *t;
    }
    thread_counts_.push_back(std::make_unique<StmThreadCounts>());
    thread_counts_.back()->owner = me;
    return *thread_counts_.back();
}

// [SECTION] TVar and Stm

Snapshot TVarCell::snapshot() const {
    Snapshot s;
    s.value = std::to_string(raw());
    s.holder = committer();
    s.waiting = backoff_;
    s.waiting.insert(s.waiting.end(), sleepers_.begin(), sleepers_.end());
    s.last_writer = last_writer_;
    s.version = static_cast<std::int64_t>(version());
    return s;
}

Snapshot Stm::snapshot() const {
    Snapshot s;
    s.value = "version " + std::to_string(clock());
    s.version = static_cast<std::int64_t>(clock());
    return s;
}

const Tx* Stm::tx_of(TaskId task) const {
    const auto i = static_cast<std::size_t>(task);
    return task >= 0 && i < sim_txs_.size() ? sim_txs_[i].get() : nullptr;
}

Tx& Stm::sim_tx(Ctx& ctx) {
    const auto i = static_cast<std::size_t>(ctx.id());
    if (sim_txs_.size() <= i) sim_txs_.resize(i + 1);
    if (!sim_txs_[i]) sim_txs_[i] = std::make_unique<Tx>(*this, ctx);
    Tx& tx = *sim_txs_[i];
    if (tx.status_ == TxStatus::Running || tx.status_ == TxStatus::Committing || tx.status_ == TxStatus::Waiting) {
        throw std::logic_error(ctx.runtime().task_name(ctx.id()) + " starts a transaction inside a transaction");
    }
    return tx;
}

Tx& Tx::for_thread(Stm& stm, Ctx& ctx) {
    thread_local std::optional<Tx> mine;
    if (!mine) mine.emplace(stm, ctx);
    Tx& tx = *mine;
    tx.stm_ = &stm;
    tx.ctx_ = &ctx;
    tx.attempt_ = 0;
    if (tx.counts_serial_ != stm.serial_) {
        tx.counts_ = &stm.counts_here();
        tx.counts_serial_ = stm.serial_;
    }
    return tx;
}

// After a commit published its writes. A sleeper counts itself in sleeping_
// and then looks at the lock words of what it read; the committer took its
// locks and then looks at sleeping_, all four sequentially consistent: one
// of the two sees the other's write. Either the committer sees the sleeper
// and wakes it, or the sleeper sees the lock taken (or the new version it
// left) and does not sleep. No wake-up is lost, and no fence is needed.
void Stm::wake_sleepers() {
    if (sleeping_.load() == 0) return;
    { std::lock_guard lock(sleep_mutex_); }
    sleep_cv_.notify_all();
}

// [SECTION] Reading and buffering

void Tx::doom(AbortCause cause) {
    doomed_ = true;
    last_abort_ = cause;
}

namespace {
void wake_all(Scheduler& sched, std::vector<TaskId>& waiting) {
    for (TaskId t : waiting) sched.wake(t);
    waiting.clear();
}
}  // namespace

Tx::BeginStep Tx::begin() { return BeginStep(*this); }

void Tx::start_attempt() {
    rv_ = stm_->clock_.load(std::memory_order_acquire);
    wv_ = 0;
    doomed_ = false;
    busy_ = nullptr;
    reads_.clear();
    writes_.clear();
    effects_.clear();
    status_ = TxStatus::Running;
    ++attempt_;
    count(kAttempts);
}

StepResult Tx::BeginStep::run(Scheduler& sched) {
    if (tx_.status_ == TxStatus::Committed || tx_.status_ == TxStatus::Idle) tx_.attempt_ = 0;
    tx_.start_attempt();
    sched.emit(EventKind::TxBegin, object_, static_cast<std::int64_t>(tx_.rv_), {.arg1 = tx_.attempt_});
    return StepResult::Done;
}

void Tx::BeginStep::run_real(RealRuntime&) { tx_.begin_now(); }

bool Tx::refuse(TVarCell& var, std::uint64_t before, std::uint64_t after) {
    if ((before & kLocked) || before != after) {
        busy_ = &var;
        doom(AbortCause::ReadLocked);
    } else {
        doom(AbortCause::ReadChanged);
    }
    return false;
}

StepResult TxReadBase::run(Scheduler& sched) {
    ok_ = tx_.load(var_, seen_);
    const auto version = static_cast<std::int64_t>(var_.version());
    if (ok_) {
        sched.emit(EventKind::TxRead, object_, seen_, {.arg1 = version});
    } else if (tx_.last_abort_ == AbortCause::ReadLocked) {
        sched.emit(EventKind::TxRead, object_, seen_, {.note = Note::Committing, .arg1 = var_.committer()});
    } else {
        sched.emit(EventKind::TxRead, object_, seen_, {.note = Note::Newer, .arg1 = version, .arg2 = static_cast<std::int64_t>(tx_.rv_)});
    }
    return StepResult::Done;
}

void TxReadBase::run_real(RealRuntime& rt) { read_now(rt); }

void TxReadBase::throw_abort() { throw TxAbort{}; }

StepResult Tx::WriteStep::run(Scheduler& sched) {
    tx_.buffer(var_, value_);
    sched.emit(EventKind::TxWrite, var_.id(), value_);
    return StepResult::Done;
}

void Tx::WriteStep::run_real(RealRuntime& rt) {
    tx_.buffer(var_, value_);
    rt.record(ctx_->id(), EventKind::TxWrite, var_.id(), value_);
}

// [SECTION] Commit

// Locks in one global order (object id), so two committers never wait on
// each other; a busy lock aborts at once instead of waiting. (An insertion
// sort: a write set has a handful of entries.)
void Tx::order_writes() {
    for (std::size_t i = 1; i < writes_.size(); ++i) {
        const Write w = writes_[i];
        std::size_t j = i;
        for (; j > 0 && writes_[j - 1].id > w.id; --j) writes_[j] = writes_[j - 1];
        writes_[j] = w;
    }
}

Co<bool> Tx::commit() {
    status_ = TxStatus::Committing;
    order_writes();
    for (Write& w : writes_) {
        co_await LockStep(*this, w);
        if (doomed_) break;
    }
    if (!doomed_ && !writes_.empty()) {
        co_await ClockStep(*this);
        // Nobody committed since we began: every read is still current.
        if (wv_ != rv_ + 1) {
            for (Read& r : reads_) {
                co_await ValidateStep(*this, r);
                if (doomed_) break;
            }
        }
    }
    if (doomed_) {
        for (Write& w : writes_) {
            if (w.state == Write::Locked) co_await UnlockStep(*this, w);
        }
        co_return false;
    }
    for (Write& w : writes_) co_await PublishStep(*this, w);
    co_await EndStep(*this, true);
    co_return true;
}

// The same steps as commit(), as plain calls on a native thread, each
// recording the event its step's run_real would.
bool Tx::commit_now() {
    RealRuntime& rt = *ctx_->real();
    const TaskId me = ctx_->id();
    status_ = TxStatus::Committing;
    if (!writes_.empty()) {
        order_writes();
        for (Write& w : writes_) {
            const bool got = lock(w);
            rt.record(me, EventKind::TxLock, w.id, got ? 1 : 0);
            if (!got) break;
        }
        if (!doomed_) {
            ClockStep(*this).run_real(rt);
            if (wv_ != rv_ + 1) {
                for (Read& r : reads_) {
                    ValidateStep(*this, r).run_real(rt);
                    if (doomed_) break;
                }
            }
        }
    }
    if (doomed_) {
        for (Write& w : writes_) {
            if (w.state != Write::Locked) continue;
            unlock(w);
            rt.record(me, EventKind::TxUnlock, w.id, 0);
        }
        return false;
    }
    for (Write& w : writes_) {
        land(w);
        rt.record(me, EventKind::TxPublish, w.id, w.value);
    }
    EndStep(*this, true).run_real(rt);
    return true;
}

bool Tx::lock(Write& w) {
    std::uint64_t word = w.var->lock_.load(std::memory_order_relaxed);
    while (!(word & kLocked)) {
        if (w.var->lock_.compare_exchange_weak(word, word | kLocked, std::memory_order_seq_cst, std::memory_order_relaxed)) {
            w.var->committer_.store(ctx_->id(), std::memory_order_relaxed);
            w.state = Write::Locked;
            return true;
        }
    }
    busy_ = w.var;
    doom(AbortCause::LockBusy);
    return false;
}

StepResult Tx::LockStep::run(Scheduler& sched) {
    const TaskId holder = w_.var->committer();
    const bool got = tx_.lock(w_);
    sched.emit(EventKind::TxLock, object_, got ? 1 : 0, {.arg1 = holder});
    return StepResult::Done;
}

void Tx::LockStep::run_real(RealRuntime& rt) { rt.record(ctx_->id(), EventKind::TxLock, object_, tx_.lock(w_) ? 1 : 0); }

void Tx::unlock(Write& w) {
    w.var->committer_.store(kNone, std::memory_order_relaxed);
    w.var->lock_.fetch_and(~kLocked, std::memory_order_release);
    w.state = Write::Dropped;
}

StepResult Tx::UnlockStep::run(Scheduler& sched) {
    tx_.unlock(w_);
    wake_all(sched, w_.var->backoff_);
    sched.emit(EventKind::TxUnlock, object_, 0);
    return StepResult::Done;
}

void Tx::UnlockStep::run_real(RealRuntime& rt) {
    tx_.unlock(w_);
    rt.record(ctx_->id(), EventKind::TxUnlock, object_, 0);
}

StepResult Tx::ClockStep::run(Scheduler& sched) {
    tx_.wv_ = tx_.stm_->clock_.fetch_add(1, std::memory_order_acq_rel) + 1;
    sched.emit(EventKind::TxClock, object_, static_cast<std::int64_t>(tx_.wv_), {.arg1 = static_cast<std::int64_t>(tx_.rv_)});
    return StepResult::Done;
}

void Tx::ClockStep::run_real(RealRuntime& rt) {
    tx_.wv_ = tx_.stm_->clock_.fetch_add(1, std::memory_order_acq_rel) + 1;
    rt.record(ctx_->id(), EventKind::TxClock, object_, static_cast<std::int64_t>(tx_.wv_));
}

// Still current: unlocked (or locked by ourselves) and no newer than rv.
bool Tx::ValidateStep::check() {
    const std::uint64_t word = r_.var->lock_.load(std::memory_order_acquire);
    const bool ours = std::any_of(tx_.writes_.begin(), tx_.writes_.end(), [&](const Write& w) { return w.var == r_.var; });
    const bool ok = (!(word & kLocked) || ours) && (word >> 1) <= tx_.rv_;
    r_.check = ok ? 1 : -1;
    if (!ok) tx_.doom(AbortCause::ValidationFailed);
    return ok;
}

StepResult Tx::ValidateStep::run(Scheduler& sched) {
    const bool ok = check();
    const bool other_commits = r_.var->committer() != kNone && r_.var->committer() != sched.current();
    sched.emit(EventKind::TxValidate, object_, ok ? 1 : 0,
               {.note = !ok && other_commits ? Note::BeingCommitted : Note::Plain,
                .arg1 = static_cast<std::int64_t>(r_.version),
                .arg2 = static_cast<std::int64_t>(r_.var->version())});
    return StepResult::Done;
}

void Tx::ValidateStep::run_real(RealRuntime& rt) { rt.record(ctx_->id(), EventKind::TxValidate, object_, check() ? 1 : 0); }

void Tx::land(Write& w) {
    TVarCell& var = *w.var;
    var.value_.store(w.value, std::memory_order_release);
    var.last_writer_ = ctx_->id();
    var.committer_.store(kNone, std::memory_order_relaxed);
    var.lock_.store(wv_ << 1, std::memory_order_release);
    w.state = Write::Landed;
}

StepResult Tx::PublishStep::run(Scheduler& sched) {
    tx_.land(w_);
    wake_all(sched, w_.var->backoff_);
    for (TaskId t : w_.var->sleepers_) sched.wake(t);
    const auto& woken = w_.var->sleepers_;
    sched.emit(EventKind::TxPublish, object_, w_.value,
               {.arg1 = static_cast<std::int64_t>(tx_.wv_), .arg2 = static_cast<std::int64_t>(woken.size()), .arg3 = woken.empty() ? kNone : woken.front()});
    return StepResult::Done;
}

void Tx::PublishStep::run_real(RealRuntime& rt) {
    tx_.land(w_);
    rt.record(ctx_->id(), EventKind::TxPublish, object_, w_.value);
}

// [SECTION] Rollback, retry, effects

Co<void> Tx::again(bool retried) {
    if (retried) {
        co_await RetryStep(*this);
    } else {
        co_await EndStep(*this, false);
        if (busy_) co_await BackoffStep(*this);
    }
    ctx_->at(first_line_);
}

void Tx::begin_now() {
    start_attempt();
    ctx_->real()->record(ctx_->id(), EventKind::TxBegin, stm_->id(), static_cast<std::int64_t>(rv_));
}

// After an abort the attempt also waits a random while, under 256 pauses
// after a first abort and up to twice as long after each abort in a row,
// 8192 at most (randomized exponential backoff, a contention manager as in
// TinySTM): an abort costs a native thread almost nothing, so without it two
// threads that conflict run again at once and conflict again (4 accounts, 2
// threads: 43% of attempts rolled back and 3.6 M transfers/s; with it 0.4%
// and 6.1 M/s).
void Tx::again_now(bool retried) {
    RealRuntime& rt = *ctx_->real();
    if (retried) {
        RetryStep(*this).run_real(rt);
    } else {
        EndStep(*this, false).run_real(rt);
        if (busy_) BackoffStep(*this).run_real(rt);
        thread_local std::uint64_t seed = 0x9e3779b97f4a7c15ull ^ reinterpret_cast<std::uintptr_t>(&seed);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        const int doubling = attempt_ < 6 ? attempt_ : 6;
        const std::uint64_t spins = seed % (std::uint64_t{128} << doubling);
        for (std::uint64_t i = 0; i < spins; ++i) relax();
    }
    ctx_->at(first_line_);
}

void Tx::run_effects_now() {
    for (Effect& e : effects_) EffectStep(*this, e).run_real(*ctx_->real());
    effects_.clear();
}

StepResult Tx::BackoffStep::run(Scheduler& sched) {
    if (waiting_ || !var_.locked()) {
        sched.emit(EventKind::LockWait, object_, kNone, {.note = Note::CommitDone});
        return StepResult::Done;
    }
    waiting_ = true;
    var_.backoff_.push_back(sched.current());
    sched.emit(EventKind::LockWait, object_, var_.committer(), {.note = Note::Commit});
    return StepResult::Blocked;
}

// Real threads: the committer holds the lock only for a few dozen
// instructions, so spin first (a yield is a system call, microseconds), and
// yield only if it lasts (the committer's thread was preempted).
void Tx::BackoffStep::run_real(RealRuntime& rt) {
    rt.record(ctx_->id(), EventKind::LockWait, object_, 0);
    for (int spins = 0; var_.locked(); ++spins) {
        if (spins < 1000) {
            relax();
        } else {
            std::this_thread::yield();
        }
    }
}

void Tx::EndStep::finish() {
    Tx& tx = tx_;
    if (committed_) {
        tx.status_ = TxStatus::Committed;
        ++tx.commits_;
        tx.count(kCommits);
        if (!tx.writes_.empty()) tx.stm_->wake_sleepers();  // a read-only commit changed nothing
        return;
    }
    tx.status_ = TxStatus::Aborted;
    tx.count(kAborts + static_cast<int>(tx.last_abort_.value_or(AbortCause::ReadChanged)));
    for (Write& w : tx.writes_) w.state = Write::Dropped;
}

StepResult Tx::EndStep::run(Scheduler& sched) {
    const auto writes = static_cast<std::int64_t>(tx_.writes_.size());
    finish();
    if (committed_) {
        sched.emit(EventKind::TxCommit, kNone, tx_.attempt_, {.arg1 = writes});
    } else {
        sched.emit(EventKind::TxAbort, kNone, static_cast<std::int64_t>(*tx_.last_abort_), {.arg1 = writes});
    }
    return StepResult::Done;
}

void Tx::EndStep::run_real(RealRuntime& rt) {
    finish();
    rt.record(ctx_->id(), committed_ ? EventKind::TxCommit : EventKind::TxAbort, kNone, 0);
}

bool Tx::RetryStep::changed() const {
    return std::any_of(tx_.reads_.begin(), tx_.reads_.end(), [](const Read& r) { return r.var->version() != r.version; });
}

StepResult Tx::RetryStep::run(Scheduler& sched) {
    const TaskId me = sched.current();
    if (sleeping_) {
        for (const Read& r : tx_.reads_) {
            auto& s = r.var->sleepers_;
            s.erase(std::remove(s.begin(), s.end(), me), s.end());
        }
        sched.emit(EventKind::TxRetry, object_, 1, {.note = Note::Woken});
        return StepResult::Done;
    }
    tx_.count(kRetries);
    for (Write& w : tx_.writes_) w.state = Write::Dropped;
    if (changed()) {
        sched.emit(EventKind::TxRetry, object_, 1, {.note = Note::Again});
        return StepResult::Done;
    }
    for (const Read& r : tx_.reads_) r.var->sleepers_.push_back(me);
    sleeping_ = true;
    tx_.status_ = TxStatus::Waiting;
    sched.emit(EventKind::TxRetry, object_, 0, {.arg1 = static_cast<std::int64_t>(tx_.reads_.size())});
    return StepResult::Blocked;
}

// Sleeps on the Stm's condition until a commit changes a variable it read.
// A variable being committed counts as changed (see Stm::wake_sleepers): the
// transaction runs again, and waits for that commit if it reads it locked.
void Tx::RetryStep::run_real(RealRuntime& rt) {
    tx_.count(kRetries);
    rt.record(ctx_->id(), EventKind::TxRetry, object_, 0);
    Stm& stm = *tx_.stm_;
    std::unique_lock lock(stm.sleep_mutex_);
    stm.sleeping_.fetch_add(1);
    stm.sleep_cv_.wait(lock, [this] {
        return std::any_of(tx_.reads_.begin(), tx_.reads_.end(), [](const Read& r) {
            const std::uint64_t word = r.var->lock_.load();
            return (word & kLocked) || (word >> 1) != r.version;
        });
    });
    stm.sleeping_.fetch_sub(1);
}

Co<void> Tx::run_effects() {
    for (Effect& e : effects_) co_await EffectStep(*this, e);
    effects_.clear();
}

StepResult Tx::EffectStep::run(Scheduler& sched) {
    e_.run();
    tx_.count(kEffects);
    sched.emit(EventKind::TxEffect, kNone, 0, {.label = sched.label(e_.label)});
    return StepResult::Done;
}

void Tx::EffectStep::run_real(RealRuntime& rt) {
    e_.run();
    tx_.count(kEffects);
    rt.record(ctx_->id(), EventKind::TxEffect, kNone, 0);
}

}  // namespace such::engine
