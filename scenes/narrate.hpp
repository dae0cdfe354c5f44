// The words for the engine's events and its deadlocks. The engine records data
// only (kind, note, numbers, labels; who waits for what); this is the one place
// that turns them into sentences, for the trace pane, the CLI, --explain and
// the explorer's findings. Wording can change here without touching a trace,
// its hash or the explorer's search.
#pragma once
#include <string>

#include "engine/scheduler.hpp"
#include "engine/trace.hpp"

namespace such::scenes {

class Run;

// What the event's task did, without the task's name in front: "reads x = 1".
// `trace` holds the event's labels; `run` names tasks, objects and values.
std::string sentence(const engine::Event& event, const engine::Trace& trace, const Run& run);
// The same for an event of the run's own trace.
std::string sentence(const engine::Event& event, const Run& run);

// A message as the trace and the mailbox both show it: "job(2)", an exit
// notice's reason in brackets, a program's value as its reader writes it.
std::string message_words(const Run& run, const std::string& tag, std::int64_t value, const std::string& note);

// Whether the event's task waits after it (blocked until another task or the
// clock wakes it), as the task's chip then says "blocked": the timeline
// paints the task's lane red from this event to its next.
// tests/scenes/test_narrate.cpp checks it against the scheduler's own task
// states after every step of every scene and example program.
bool leaves_waiting(const engine::Event& event);

// What a blocked task waits for, as its card in the tasks pane says under its
// chip: "waits for m", "waits for a message", "waits in poll for I/O or a
// timer", and for a wait on no object (a sleep, a callback's computing, an
// await) the sentence of the event it waits at: "sleeps 5 ms". Never the
// task's own name (an actor waits in its own mailbox, a loop's task on its
// loop); empty when the task is not blocked.
std::string waiting_for(const Run& run, engine::TaskId task);

// A deadlock in words, from the scheduler's deadlock_waits(): "deadlock cycle: T1 -> waits for b
// -> held by T2 -> waits for a -> held by T1", or "every live task is blocked: sink waits for a
// message; ..." (each wait as waiting_for says it). The one place a deadlock is told.
std::string deadlock_story(const engine::Scheduler& sched);
// Why a run stopped, in words: a deadlock's story, a diverged replay's reason; else empty.
std::string verdict_words(const engine::Scheduler& sched);

}  // namespace such::scenes
