// The trace: an append-only list of typed events, data only. Views and tests
// read it; it serialises to JSON lines and hashes to one number for
// determinism checks. Words for events come from scenes/narrate.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <functional>
#include <map>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace such::engine {

using TaskId = int;
using ObjectId = int;
inline constexpr int kNone = -1;

// Whether a short list of tasks (a tick's cores, a node's explored or woken
// tasks) holds this one: a plain loop the compiler inlines, where
// std::find's unrolled loop was a call that cost more than the search.
template <class Alloc>
inline bool has_task(const std::vector<TaskId, Alloc>& tasks, TaskId task) {
    for (const TaskId t : tasks) {
        if (t == task) return true;
    }
    return false;
}

enum class EventKind {
    Spawn,      // a task was created
    Read,       // value = what was read
    Write,      // value = what was written
    Compute,    // a step on task-local state only; value = its result
    LockAcquire,
    LockWait,   // the lock was held: the task joined its queue
    Unlock,     // value = the task the lock was handed to, or kNone
    TryLock,    // value = 1 if it got the lock
    FetchAdd,   // value = the value before the add
    Cas,        // value = the value seen
    SemAcquire,
    SemWait,    // no permit: the task joined the semaphore's queue
    SemRelease, // value = the task the permit was handed to, or kNone
    CondWait,   // released the mutex and sleeps on the condition variable
    CondNotify, // value = how many waiters were woken
    Yield,
    TxBegin,    // a transaction attempt starts; value = the start version
    TxRead,     // value = what was read (the attempt aborts if it changed)
    TxWrite,    // a write buffered in the write set; value = the new value
    TxLock,     // commit: value = 1 if the variable's commit lock was taken
    TxUnlock,   // a failed commit gives a lock back
    TxClock,    // commit: value = the new version taken from the clock
    TxValidate, // commit: value = 1 if the read is still current
    TxPublish,  // commit: value = the value written back
    TxCommit,   // the attempt committed; value = attempts it took
    TxAbort,    // the attempt rolled back; value = its AbortCause
    TxRetry,    // the transaction sleeps until something it read changes
    TxEffect,   // a deferred effect ran after the commit
    ChanSend,   // value = the value sent (or offered, when the sender must wait)
    ChanRecv,   // value = the value received
    ChanWait,   // a send or receive found no partner or room: the task waits
    ChanClose,
    ChanSelect, // value = the case chosen (-1: default)
    FutureSet,  // a promise is fulfilled (or broken, value -1); value = the value
    FutureGet,  // value = what get returned
    FutureWait, // get found no value yet: the task waits
    FutureThen, // a continuation registered (or run at once)
    PipeWrite,  // value = bytes written
    PipeRead,   // value = bytes read (0: end of file)
    PipeWait,   // the pipe was full (writer) or empty (reader): the task waits
    PipeClose,  // the writer closed its end
    ActorSend,  // value = the message's value; the label is its tag
    ActorReceive, // value = the message's value (or -1 on timeout)
    ActorWait,  // no matching message: the actor sleeps until one arrives
    ActorExit,  // the runtime delivers an exit notice (a link or monitor fired)
    FiberResume, // the caller hands control (and value) to a fiber, or gets it back
    FiberYield, // the fiber hands control (and value) back, or is resumed
    StreamWrite, // the network writes to a stream (value = bytes), or closes it
    StreamRead, // a thread reads its stream (value = bytes; 0: the end), or waits for data
    Sleep,      // a task sleeps (value = ms), or wakes up
    LoopPhase,  // the event loop enters a phase (value = its number, in libuv's order)
    LoopCallback, // the loop runs a callback (value = a timer's lateness in ms, else -1)
    LoopBusy,   // the running callback computes: the loop can do nothing else
    LoopPoll,   // the loop polls for I/O (value = the timeout in ms, -1: none), or wakes from it
    LoopPost,   // another task posts a callback to the loop
    LoopWork,   // a pool worker takes work off the loop (value = its ms; -1: the loop ended)
    Panic,      // a task died of a misuse (send on a closed channel...); the label says which
    Finish,
    Deadlock,   // every live task is blocked
    // Real operating-system processes (engine/os_process.hpp). Last, so the
    // kinds before keep their numbers and every trace its hash.
    ProcessStart, // a child process started; value = its pid
    ProcessExit,  // a child process ended and was reaped; value = its exit status (-N: killed by signal N)
};
inline constexpr int kEventKinds = static_cast<int>(EventKind::ProcessExit) + 1;

std::string_view to_string(EventKind kind);
bool parse_event_kind(std::string_view text, EventKind& out);

// Which case of its kind an event is. The formatter above the engine
// (scenes/narrate.cpp) picks the sentence by kind and note, and says there
// what value, arg1..arg3 and label mean for each pair.
#define SUCH_NOTES(X)                                                                                                     \
    X(Plain, "plain") X(HandedOver, "handed_over") X(Relocked, "relocked") X(Woken, "woken") X(Died, "died")            \
    X(Commit, "commit") X(CommitDone, "commit_done") X(All, "all") X(Committing, "committing") X(Newer, "newer")        \
    X(BeingCommitted, "being_committed") X(Again, "again") X(Delivered, "delivered")                                   \
    X(ClosedWhileWaiting, "closed_while_waiting") X(Closed, "closed") X(Buffered, "buffered") X(Rings, "rings")         \
    X(TimerSet, "timer_set") X(AlreadyClosed, "already_closed") X(Send, "send") X(Recv, "recv") X(Select, "select")    \
    X(SelectSend, "select_send") X(SelectRecv, "select_recv") X(SelectClosed, "select_closed") X(Default, "default")   \
    X(Bound, "bound") X(Refused, "refused") X(RefusedBind, "refused_bind") X(Then, "then") X(Dropped, "dropped")        \
    X(Kept, "kept") X(Broken, "broken") X(Now, "now") X(Partial, "partial") X(Eof, "eof") X(Append, "append")          \
    X(TimedOut, "timed_out") X(Killed, "killed") X(Back, "back") X(BackFinished, "back_finished") X(Resumed, "resumed") \
    X(Started, "started") X(WaitFirst, "wait_first") X(Yielded, "yielded") X(Finished, "finished") X(Ready, "ready")   \
    X(NoWait, "no_wait") X(Ended, "ended") X(Idle, "idle") X(Mark, "mark") X(Computing, "computing")

enum class Note : std::uint8_t {
#define SUCH_NOTE_ENUM(name, text) name,
    SUCH_NOTES(SUCH_NOTE_ENUM)
#undef SUCH_NOTE_ENUM
};
std::string_view to_string(Note note);
bool parse_note(std::string_view text, Note& out);

// What an event carries besides its kind, object and value.
struct EventArgs {
    Note note = Note::Plain;
    std::int64_t arg1 = 0;
    std::int64_t arg2 = 0;
    std::int64_t arg3 = 0;
    int label = kNone;  // a text the program supplied (a job, a tag, a message): Trace::label
};

// One event: data only, no words.
struct Event {
    std::uint64_t step = 0;   // index of the scheduling decision
    std::uint64_t time = 0;   // the tick: the timeline's column (Scheduler::ticks)
    int core = 0;
    TaskId task = kNone;
    ObjectId object = kNone;
    EventKind kind = EventKind::Spawn;
    std::int64_t value = 0;
    EventArgs args;
};

// How many recent events the app and the command line keep of a run (8 MB
// or so): what the views draw. Older ones are let go (Trace::keep_last).
inline constexpr std::size_t kKeptEvents = 100000;

class Trace {
public:
    void add(const Event& event) {
        if (events_.size() == events_.capacity()) grow();
        events_.push_back(event);
        if (window_ != 0 && events_.size() >= 2 * window_) forget_oldest();
    }
    // The events kept: all of them, or with a window the most recent ones
    // (between `window` and twice as many), which is what views draw. A long
    // run then keeps bounded memory; time travel re-executes from the start
    // and needs no old events, and an export re-runs the scene to write them.
    const std::vector<Event>& events() const { return events_; }
    std::size_t size() const { return events_.size(); }
    // Keep at least the last `events` events (0: keep every event, the default).
    void keep_last(std::size_t events) { window_ = events; }
    // How many of the oldest events were let go (0 without a window).
    std::size_t forgotten() const { return forgotten_; }
    // Every event the run made, kept or not.
    std::size_t total() const { return forgotten_ + events_.size(); }
    // How many events of this kind (by this task, unless kNone) the run made,
    // forgotten ones included.
    std::size_t count(EventKind kind, TaskId task = kNone) const;

    // Texts events refer to by number: each distinct text is kept once.
    int intern(std::string_view text);
    const std::string& label(int index) const { return labels_[static_cast<std::size_t>(index)]; }
    std::size_t label_count() const { return labels_.size(); }

    // The kept events as JSON lines (every event when nothing was forgotten).
    std::string to_jsonl() const;
    // Reads what to_jsonl wrote. On a malformed line returns false, says
    // "line N: what is wrong" in `error`, and leaves `out` unchanged. Lines
    // count from `first_line` (a trace file's events follow its header).
    static bool from_jsonl(std::string_view text, Trace& out, std::string& error, std::size_t first_line = 1);
    // FNV-1a over the events' fields (labels by their text): equal traces,
    // equal hashes, on any platform; no wording takes part. Forgotten events
    // count: a window changes no hash.
    std::uint64_t hash() const;

private:
    void grow();
    void forget_oldest();

    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::vector<Event> events_;
    std::size_t window_ = 0, forgotten_ = 0;
    std::uint64_t forgotten_hash_ = 0xcbf29ce484222325ull;  // FNV-1a's state after the forgotten events
    std::map<std::pair<EventKind, TaskId>, std::size_t> forgotten_counts_;
    std::vector<std::string> labels_;
    std::unordered_map<std::string, int, TextHash, std::equal_to<>> label_index_;  // built once there are many (intern)
};

// One event as a JSON object (its label by its text, from `trace`).
std::string to_json(const Event& event, const Trace& trace);

}  // namespace such::engine
