// Sentences for events: one case per (kind, note), reading the numbers and
// labels each primitive records (engine/trace.hpp lists the notes).
//
// Index
//   [SECTION] Names          - tasks, objects, values, labels
//   [SECTION] Memory and locks
//   [SECTION] Transactions
//   [SECTION] Messages       - channels, futures, pipes, mailboxes, fibers
//   [SECTION] Loops and tasks
#include "scenes/narrate.hpp"

#include "engine/event_loop.hpp"
#include "engine/fiber.hpp"
#include "engine/scheduler.hpp"
#include "engine/stm.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::EventKind;
using engine::kNone;
using engine::Note;

// [SECTION] Names

class Words {
public:
    Words(const engine::Event& e, const engine::Trace& trace, const Run& run) : e_(e), trace_(trace), run_(run) {}

    std::string task(std::int64_t id) const {
        if (id < 0 || static_cast<std::size_t>(id) >= run_.rt().task_count()) return "task " + std::to_string(id);
        return run_.rt().task_name(static_cast<engine::TaskId>(id));
    }
    std::string object(std::int64_t id) const {
        if (id < 0 || static_cast<std::size_t>(id) >= run_.rt().object_count()) return "object " + std::to_string(id);
        return run_.rt().object(static_cast<engine::ObjectId>(id)).name();
    }
    std::string obj() const { return object(e_.object); }
    engine::ObjectKind obj_kind() const {
        const bool known = e_.object >= 0 && static_cast<std::size_t>(e_.object) < run_.rt().object_count();
        return known ? run_.rt().object(e_.object).kind() : engine::ObjectKind::Variable;
    }
    std::string value(std::int64_t v) const { return run_.value_text(v); }
    std::string val() const { return value(e_.value); }
    std::string label(std::int64_t index) const {
        if (index < 0 || static_cast<std::size_t>(index) >= trace_.label_count()) return "";
        return trace_.label(static_cast<int>(index));
    }
    std::string text() const { return label(e_.args.label); }
    static std::string num(std::int64_t n) { return std::to_string(n); }
    static std::string quoted(const std::string& s) { return "\"" + s + "\""; }
    // A message as the talk writes it: tag, tag(value) or tag(note).
    std::string message() const { return message_words(run_, text(), e_.value, e_.args.arg1 == kNone ? "" : label(e_.args.arg1)); }
    // ", wakes T" / ", wakes T and 2 more" / "".
    std::string wakes(std::int64_t count, std::int64_t first, const char* lead = ", wakes ") const {
        if (count <= 0) return "";
        std::string out = lead + task(first);
        if (count > 1) out += " and " + num(count - 1) + " more";
        return out;
    }

    std::string say() const;

private:
    std::string memory() const;
    std::string locks() const;
    std::string transaction() const;
    std::string channel() const;
    std::string future() const;
    std::string pipe() const;
    std::string actor() const;
    std::string loop() const;
    std::string task_step() const;

    const engine::Event& e_;
    const engine::Trace& trace_;
    const Run& run_;
};

// [SECTION] Memory and locks

std::string Words::memory() const {
    const auto& a = e_.args;
    const bool read = e_.kind == EventKind::Read;
    if (a.note == Note::Mark) return text();
    if (e_.object == kNone) return read ? (e_.value ? "awaits: the condition holds" : "awaits: not yet, it waits") : "writes";
    switch (obj_kind()) {
    case engine::ObjectKind::Atomic:
        return read ? "atomically loads " + obj() + " = " + val() : "atomically stores " + obj() + " = " + val();
    case engine::ObjectKind::Memory:
        if (a.note == Note::Refused) return "tries to reach into " + obj() + "'s memory: refused";
        if (a.note == Note::Append) return "appends " + quoted(text()) + " to its text";
        return (read ? "reads its " : "writes its ") + text() + " = " + num(e_.value);
    default: return (read ? "reads " : "writes ") + obj() + " = " + val();
    }
}

std::string Words::locks() const {
    const auto& a = e_.args;
    switch (e_.kind) {
    case EventKind::LockAcquire:
        if (a.note == Note::Relocked) return "wakes and locks " + obj() + " again";
        return "locks " + obj();
    case EventKind::LockWait:
        if (a.note == Note::Woken) return "wakes, waits for " + obj();
        if (a.note == Note::Commit) return "waits for " + task(e_.value) + " to finish committing " + obj();
        if (a.note == Note::CommitDone) return obj() + " is no longer being committed: goes again";
        return "waits for " + obj() + " (held by " + task(e_.value) + ")";
    case EventKind::Unlock:
        return "unlocks " + obj();
    case EventKind::TryLock: return "try-locks " + obj() + (e_.value ? ": got it" : ": busy, moves on");
    case EventKind::FetchAdd:
        return "fetch_add(" + obj() + ", " + num(a.arg1) + "): " + num(e_.value) + " -> " + num(e_.value + a.arg1);
    case EventKind::Cas:
        return "CAS(" + obj() + ", " + num(a.arg1) + " -> " + num(a.arg2) + ") " +
               (e_.value == a.arg1 ? "succeeds" : "fails, saw " + num(e_.value));
    case EventKind::SemAcquire:
        return "takes a permit of " + obj();
    case EventKind::SemWait: return "waits for a permit of " + obj();
    case EventKind::SemRelease:
        return "returns a permit to " + obj();
    case EventKind::CondWait: return "releases " + object(a.arg1) + " and sleeps on " + obj();
    case EventKind::CondNotify:
        return std::string(a.note == Note::All ? "notify_all(" : "notify_one(") + obj() + "): " +
               (e_.value ? wakes(e_.value, a.arg1, "wakes ") : "nobody is waiting, the signal is lost");
    default: return "";
    }
}

// [SECTION] Transactions

std::string Words::transaction() const {
    const auto& a = e_.args;
    switch (e_.kind) {
    case EventKind::TxBegin:
        return (a.arg1 <= 1 ? "begins a transaction at version " : "runs it again (attempt " + num(a.arg1) + ") at version ") + num(e_.value);
    case EventKind::TxRead:
        if (a.note == Note::Committing) return "reads " + obj() + ": " + task(a.arg1) + " is committing it, this attempt must abort";
        if (a.note == Note::Newer)
            return "reads " + obj() + ": version " + num(a.arg1) + " is newer than our start " + num(a.arg2) + ", this attempt must abort";
        return "reads " + obj() + " = " + val() + " (version " + num(a.arg1) + ")";
    case EventKind::TxWrite: return "buffers " + obj() + " = " + val() + " (nobody sees it yet)";
    case EventKind::TxLock:
        return e_.value ? "locks " + obj() + " to commit" : "cannot lock " + obj() + ": " + task(a.arg1) + " is committing it, abort";
    case EventKind::TxUnlock: return "gives back the lock on " + obj() + " unchanged";
    case EventKind::TxClock:
        return "takes commit version " + val() +
               (e_.value == a.arg1 + 1 ? ": nobody committed since we began, nothing to validate" : ": now validate what we read");
    case EventKind::TxValidate:
        if (e_.value) return "validates " + obj() + ": still version " + num(a.arg1);
        return "validates " + obj() + ": we read version " + num(a.arg1) + ", it is now " + num(a.arg2) +
               (a.note == Note::BeingCommitted ? " (being committed)" : "") + ", abort";
    case EventKind::TxPublish:
        return "writes " + obj() + " = " + val() + " at version " + num(a.arg1) + " and unlocks it" + wakes(a.arg2, a.arg3);
    case EventKind::TxCommit:
        return (a.arg1 == 0 ? std::string("commits (read only, nothing to publish)")
                            : "commits: " + num(a.arg1) + (a.arg1 == 1 ? " write" : " writes") + " visible to all") +
               (e_.value > 1 ? " after " + num(e_.value) + " attempts" : "");
    case EventKind::TxAbort: {
        const bool known = e_.value >= 0 && e_.value < engine::kAbortCauses;
        const std::string cause = known ? std::string(to_string(static_cast<engine::AbortCause>(e_.value))) : num(e_.value);
        return "rolls back (" + cause + ")" + (a.arg1 ? ": drops " + num(a.arg1) + (a.arg1 == 1 ? " write" : " writes") : "") +
               ", will run again";
    }
    case EventKind::TxRetry:
        if (a.note == Note::Woken) return "wakes: a variable it read has changed";
        if (a.note == Note::Again) return "retries: something it read has already changed, runs again";
        return a.arg1 == 0 ? "retries having read nothing: nothing can wake it"
                           : "retries: sleeps until one of the " + num(a.arg1) + " variables it read changes";
    case EventKind::TxEffect: return "after the commit: " + text();
    default: return "";
    }
}

// [SECTION] Messages

std::string Words::channel() const {
    const auto& a = e_.args;
    switch (e_.kind) {
    case EventKind::ChanSend:
        switch (a.note) {
        case Note::ClosedWhileWaiting: return "finds " + obj() + " closed while it waited to send";
        case Note::Closed: return "sends " + val() + " on " + obj() + ", which is closed";
        case Note::Buffered: return "puts " + val() + " in " + obj() + " (" + num(a.arg1) + " of " + num(a.arg2) + ")";
        case Note::Rings: return "the clock: " + obj() + " rings" + wakes(a.arg1 == kNone ? 0 : 1, a.arg1);
        case Note::TimerSet: return "sets " + obj() + " to ring at time " + num(a.arg1);
        default: return "hands " + val() + " to " + task(a.arg1) + " through " + obj();
        }
    case EventKind::ChanRecv: {
        if (a.note == Note::Closed) return obj() + " is closed and empty: receives nothing (closed)";
        if (a.note == Note::Woken) return "receives " + val() + " from " + obj();
        std::string out = "takes " + val() + " from " + obj();
        if (a.arg1 != kNone) out += a.arg2 == 0 ? " (handed over by " + task(a.arg1) + ")" : "; " + task(a.arg1) + "'s value moves in";
        return out;
    }
    case EventKind::ChanWait:
        if (a.note == Note::Select) return a.arg1 ? "select waits on " + num(a.arg1) + (a.arg1 == 1 ? " channel" : " channels") : "select with no cases: waits forever";
        if (a.note == Note::Send) return a.arg1 == 0 ? "waits at " + obj() + " for a receiver to take " + val() : obj() + " is full: waits to put " + val();
        return "waits at " + obj() + " for a value";
    case EventKind::ChanClose:
        if (a.note == Note::AlreadyClosed) return "closes " + obj() + ", which is already closed";
        return "closes " + obj() + (e_.value ? "; wakes " + num(e_.value) + (e_.value == 1 ? " waiting task" : " waiting tasks") : "");
    case EventKind::ChanSelect: {
        if (a.note == Note::Default) return "select: no case is ready: takes the default";
        const std::string lead = a.arg3 == 0 ? "select wakes, " : a.arg3 > 1 ? "select: picks at random, " : "select: ";
        const std::string c = "case " + val() + ": ";
        if (a.note == Note::SelectSend) return lead + c + "sends " + value(a.arg2) + " on " + object(a.arg1);
        if (a.note == Note::SelectClosed) return lead + c + object(a.arg1) + " is closed";
        return lead + c + "receives " + value(a.arg2) + " from " + object(a.arg1);
    }
    default: return "";
    }
}

std::string Words::future() const {
    const auto& a = e_.args;
    switch (e_.kind) {
    case EventKind::FutureSet:
        switch (a.note) {
        case Note::Refused: return "sets " + obj() + " = " + val() + ": refused";
        case Note::RefusedBind: return "binds " + obj() + " = " + val() + ": refused";
        case Note::Then: return "then " + text() + ": " + obj() + " = " + val();
        case Note::Kept: return "drops " + obj() + ", which already has its value: nothing changes";
        case Note::Dropped: return "drops " + obj() + " without a value: it is broken";
        default:
            return (a.note == Note::Bound ? "binds " : "sets ") + obj() + " = " + val() + (a.arg1 ? wakes(a.arg1, a.arg2, "; wakes ") : "");
        }
    case EventKind::FutureGet:
        if (a.note == Note::Broken) return obj() + " was dropped unset: a broken promise";
        return (a.note == Note::Woken ? "wakes with " : "gets ") + obj() + " = " + val();
    case EventKind::FutureWait: return "asks " + obj() + " for its value: not there yet, waits";
    case EventKind::FutureThen:
        if (a.note == Note::Now) return obj() + " is already set: runs " + text() + " at once";
        return "registers " + text() + " on " + obj() + " (continuation " + num(a.arg1) + ")";
    default: return "";
    }
}

std::string Words::pipe() const {
    const auto& a = e_.args;
    switch (e_.kind) {
    case EventKind::PipeWrite:
    case EventKind::PipeWait:
        if (a.note == Note::Closed) return "writes to " + obj() + " after closing it";
        if (a.note == Note::Recv) return obj() + " is empty: waits for the writer";
        if (a.note == Note::Partial)
            return (e_.value ? "writes " + quoted(text()) + "; " : std::string()) + obj() + " is full: waits to write " + quoted(label(a.arg1));
        return "writes " + quoted(text()) + " into " + obj();
    case EventKind::PipeRead:
        return a.note == Note::Eof ? "reads end of file: the writer closed " + obj() : "reads " + quoted(text()) + " (its own copy)";
    case EventKind::PipeClose: return "closes its end of " + obj();
    case EventKind::StreamWrite: return a.note == Note::Closed ? "closes " + obj() + ": the end of its data" : "writes " + quoted(text()) + " to " + obj();
    case EventKind::StreamRead:
        if (a.note == Note::Recv) return "waits for data on " + obj() + ": its thread sleeps";
        return a.note == Note::Eof ? "reads the end of " + obj() : "reads " + quoted(text()) + " from " + obj();
    default: return "";
    }
}

std::string Words::actor() const {
    const auto& a = e_.args;
    switch (e_.kind) {
    case EventKind::ActorSend:
        return "sends " + message() + " to " + obj() + (a.note == Note::Dropped ? ", which is dead: dropped" : "");
    case EventKind::ActorReceive:
        if (a.note == Note::TimedOut) return "receive times out: nothing matched";
        return "receives " + message() + (a.arg2 > 0 ? ", skipping " + num(a.arg2) + " that do not match" : "");
    case EventKind::ActorWait:
        return a.arg1 ? "nothing here matches (" + num(a.arg1) + " waiting): sleeps until a message arrives"
                      : "mailbox empty: sleeps until a message arrives";
    case EventKind::ActorExit:
        switch (a.note) {
        case Note::Killed: return "is gone: the runtime sends an exit signal to " + obj() + ": " + text();
        case Note::Died: return "dies of the exit signal: " + text();
        case Note::Dropped: return "is gone: " + message() + " to dead " + obj() + " is dropped";
        default: return "is gone: the runtime delivers " + message() + " to " + obj();
        }
    case EventKind::FiberResume:
    case EventKind::FiberYield:
        switch (a.note) {
        case Note::Back: return "gets control back with " + val();
        case Note::BackFinished: return "gets control back: " + obj() + " has finished";
        case Note::Resumed: return "is resumed with " + val();
        case Note::Refused: return "resumes " + obj() + (a.arg1 ? ", which another task has resumed and not yet got back" : ", which has finished");
        case Note::Started: return "starts with " + val();
        case Note::WaitFirst: return "waits for its first resume";
        case Note::Yielded: return "yields " + val() + " to the caller and waits";
        case Note::Finished: return "finishes: control goes back to the caller for good";
        default: return "resumes " + obj() + " with " + val() + " and waits";
        }
    default: return "";
    }
}

// [SECTION] Loops and tasks

std::string Words::loop() const {
    const auto& a = e_.args;
    switch (e_.kind) {
    case EventKind::LoopPhase:
        switch (static_cast<engine::LoopPhase>(e_.value)) {
        case engine::LoopPhase::UpdateTime: return "turns: the loop's time is now " + num(a.arg1) + " ms";
        case engine::LoopPhase::Timers: return "timers phase: " + num(a.arg1) + " of " + num(a.arg2) + " due";
        case engine::LoopPhase::Pending: return "pending phase: " + counted(static_cast<long>(a.arg1), "deferred callback");
        case engine::LoopPhase::Idle: return "idle phase";
        case engine::LoopPhase::Prepare: return "prepare phase: " + counted(static_cast<long>(a.arg1), "handle");
        case engine::LoopPhase::Poll: return "poll phase: " + counted(static_cast<long>(a.arg1), "watcher");
        case engine::LoopPhase::Check: return "check phase: " + counted(static_cast<long>(a.arg1), "immediate");
        case engine::LoopPhase::Close: return "close phase: " + counted(static_cast<long>(a.arg1), "close callback");
        }
        return "phase " + val();
    case EventKind::LoopCallback: {
        std::string out = "runs " + label(a.arg1) + " " + text();
        if (e_.value >= 0) out += " (due at " + num(a.arg2) + ", " + num(e_.value) + " ms late)";
        if (a.arg3 > 0) out += ": it computes for " + num(a.arg3) + " ms";
        return out;
    }
    case EventKind::LoopBusy:
        if (a.note == Note::Woken) return "is done computing in " + text() + ": the loop is free again";
        return "computes in " + text() + " for " + val() + " ms: the loop is blocked until then";
    case EventKind::LoopPoll:
        switch (a.note) {
        case Note::Ready: return "polls: I/O is ready";
        case Note::NoWait:
            return std::string("polls without waiting: ") + (a.arg1 == 0 ? "work is queued" : a.arg1 == 1 ? "a timer is due" : "nothing is left to wait for");
        case Note::Woken: return "wakes after " + num(a.arg1) + " ms: " + (a.arg2 ? "I/O is ready" : "a timer is due");
        default: return e_.value > 0 ? "waits for I/O, at most " + val() + " ms (until the nearest timer)" : "waits for I/O: no timer to wake it";
        }
    case EventKind::LoopPost: return "posts " + text() + " to " + obj();
    case EventKind::LoopWork:
        if (a.note == Note::Ended) return "the loop has ended: no more work";
        if (a.note == Note::Idle) return "no work queued: sleeps until the loop hands some over";
        return "takes work " + text() + " (" + val() + " ms)";
    default: return "";
    }
}

std::string Words::task_step() const {
    const auto& a = e_.args;
    switch (e_.kind) {
    case EventKind::Spawn: return "starts";
    case EventKind::Compute:
        if (a.note == Note::Mark) return text();
        return text() + " = " + num(e_.value);
    case EventKind::Yield: return "yields the processor";
    case EventKind::Sleep:
        if (a.note == Note::Computing) return text() + " for " + val() + " ms";
        if (a.note == Note::Woken) return a.label == kNone ? "wakes up" : "is done: " + text();
        return "sleeps " + val() + " ms";
    case EventKind::Panic: return "panics: " + text();
    case EventKind::Finish: return a.note == Note::Died ? "dies" : "finishes";
    case EventKind::Deadlock:
        if (!run_.is_real() && run_.sched().verdict() == engine::Verdict::Deadlock) return deadlock_story(run_.sched());
        return "deadlock: every live task is blocked";
    case EventKind::ProcessStart: return "starts process " + obj() + ", pid " + num(e_.value);
    case EventKind::ProcessExit:
        return obj() + (e_.value < 0 ? " was killed by signal " + num(-e_.value) : " exits with status " + num(e_.value)) + "; reaped";
    default: return "";
    }
}

std::string Words::say() const {
    switch (e_.kind) {
    case EventKind::Read:
    case EventKind::Write: return memory();
    case EventKind::LockAcquire:
    case EventKind::LockWait:
    case EventKind::Unlock:
    case EventKind::TryLock:
    case EventKind::FetchAdd:
    case EventKind::Cas:
    case EventKind::SemAcquire:
    case EventKind::SemWait:
    case EventKind::SemRelease:
    case EventKind::CondWait:
    case EventKind::CondNotify: return locks();
    case EventKind::TxBegin:
    case EventKind::TxRead:
    case EventKind::TxWrite:
    case EventKind::TxLock:
    case EventKind::TxUnlock:
    case EventKind::TxClock:
    case EventKind::TxValidate:
    case EventKind::TxPublish:
    case EventKind::TxCommit:
    case EventKind::TxAbort:
    case EventKind::TxRetry:
    case EventKind::TxEffect: return transaction();
    case EventKind::ChanSend:
    case EventKind::ChanRecv:
    case EventKind::ChanWait:
    case EventKind::ChanClose:
    case EventKind::ChanSelect: return channel();
    case EventKind::FutureSet:
    case EventKind::FutureGet:
    case EventKind::FutureWait:
    case EventKind::FutureThen: return future();
    case EventKind::PipeWrite:
    case EventKind::PipeRead:
    case EventKind::PipeWait:
    case EventKind::PipeClose:
    case EventKind::StreamWrite:
    case EventKind::StreamRead: return pipe();
    case EventKind::ActorSend:
    case EventKind::ActorReceive:
    case EventKind::ActorWait:
    case EventKind::ActorExit:
    case EventKind::FiberResume:
    case EventKind::FiberYield: return actor();
    case EventKind::LoopPhase:
    case EventKind::LoopCallback:
    case EventKind::LoopBusy:
    case EventKind::LoopPoll:
    case EventKind::LoopPost:
    case EventKind::LoopWork: return loop();
    case EventKind::Spawn:
    case EventKind::Compute:
    case EventKind::Yield:
    case EventKind::Sleep:
    case EventKind::Panic:
    case EventKind::Finish:
    case EventKind::Deadlock:
    case EventKind::ProcessStart:
    case EventKind::ProcessExit: return task_step();
    }
    return std::string(to_string(e_.kind));
}

}  // namespace

std::string message_words(const Run& run, const std::string& tag, std::int64_t value, const std::string& note) {
    if (!note.empty()) return tag + "(" + note + ")";
    return value ? tag + "(" + run.value_text(value) + ")" : tag;
}

std::string sentence(const engine::Event& event, const engine::Trace& trace, const Run& run) { return Words(event, trace, run).say(); }

std::string sentence(const engine::Event& event, const Run& run) { return sentence(event, run.rt().trace(), run); }

bool leaves_waiting(const engine::Event& e) {
    using engine::EventKind;
    using engine::Note;
    switch (e.kind) {
    case EventKind::LockWait: return e.args.note != Note::CommitDone;  // a transaction's "goes again" is its wake-up
    case EventKind::SemWait:
    case EventKind::CondWait:
    case EventKind::ChanWait:
    case EventKind::FutureWait:
    case EventKind::PipeWait:
    case EventKind::ActorWait: return true;
    case EventKind::PipeWrite: return e.args.note == Note::Partial;  // the pipe is full: waits to write the rest
    case EventKind::StreamRead: return e.args.note == Note::Recv;    // no data yet: the thread sleeps in read
    case EventKind::Read: return e.object == engine::kNone && e.value == 0 && e.args.note != Note::Mark;  // await: not yet
    case EventKind::LoopPoll: return e.args.note == Note::Plain;      // the loop sleeps in poll (not its wake-up)
    case EventKind::LoopWork: return e.args.note == Note::Idle;       // a pool worker with nothing queued
    case EventKind::FiberResume:                                      // the caller waits for the fiber to hand back
    case EventKind::FiberYield: return e.args.note == Note::Plain || e.args.note == Note::Yielded || e.args.note == Note::WaitFirst;
    case EventKind::TxRetry:
    case EventKind::Sleep: return e.args.note == Note::Plain;  // not the wake-up
    default: return false;
    }
}

namespace {
// A task blocked on `on`, as its card and a deadlock's story say it: an actor waits in its own
// mailbox ("sink waits for sink" read as waiting for itself).
std::string waits_for_words(const engine::Object& on) {
    return on.kind() == engine::ObjectKind::Mailbox ? "waits for a message" : "waits for " + on.name();
}
}  // namespace

std::string deadlock_story(const engine::Scheduler& sched) {
    const engine::DeadlockWaits d = sched.deadlock_waits();
    if (d.cycle && !d.waits.empty()) {
        std::string story = "deadlock cycle: " + sched.task_name(d.waits.front().task);
        for (const engine::BlockedWait& w : d.waits) {
            const engine::Object& on = sched.object(w.object);
            story += " -> waits for " + on.name() + (on.kind() == engine::ObjectKind::Channel ? " -> sent on by " : " -> held by ") +
                     sched.task_name(w.holder);
        }
        return story;
    }
    std::string story = "every live task is blocked:";
    for (const engine::BlockedWait& w : d.waits) {
        story += " " + sched.task_name(w.task);
        if (w.object != kNone) {
            story += " " + waits_for_words(sched.object(w.object)) + ";";
        } else if (w.kind == EventKind::ChanSelect) {
            story += " waits in a select with no case, which nothing can end;";
        } else {
            story += " waits in await for a condition nothing will make true;";
        }
    }
    story.pop_back();
    return story;
}

std::string verdict_words(const engine::Scheduler& sched) {
    return sched.verdict() == engine::Verdict::Deadlock ? deadlock_story(sched) : sched.verdict_detail();
}

std::string waiting_for(const Run& run, engine::TaskId task) {
    const engine::Scheduler& sched = run.sched();
    const engine::TaskView t = sched.task(task);
    if (t.state != engine::TaskState::Blocked) return {};
    if (t.next == EventKind::ChanSelect) return "waits in a select";
    // The loop's own task sleeps in poll; a thread pool's worker waits for the loop to hand it work.
    if (t.next == EventKind::LoopPoll) return "waits in poll for I/O or a timer";
    if (t.next == EventKind::LoopWork) return "waits for work from the loop";
    if (t.waiting_on != kNone && t.next != EventKind::LoopBusy) {
        const engine::Object& on = sched.object(t.waiting_on);
        if (on.kind() != engine::ObjectKind::Fiber) return waits_for_words(on);
        // Whoever waits while the caller has control is the fiber's body ("doubler waits for doubler"
        // would read as waiting for itself); else the caller, for the fiber to hand back.
        const bool body = static_cast<const engine::Fiber&>(on).control() == engine::Fiber::Side::Caller;
        return body ? "waits to be resumed" : "waits for " + on.name() + " to yield";
    }
    // A wait on no object (a sleep, computing, an await): the event it waits at says what, among the
    // last events (a task that has waited longer than those is said to wait without the why).
    const auto& events = sched.trace().events();
    constexpr std::size_t kLookBack = 10000;
    for (std::size_t k = events.size(), seen = 0; k-- > 0 && seen < kLookBack; ++seen) {
        if (events[k].task == task) return sentence(events[k], run);
    }
    return "waits";
}

}  // namespace such::scenes
