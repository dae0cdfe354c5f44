// The words for the engine's events. The engine records data only (kind,
// note, numbers, labels); this is the one place that turns an event into a
// sentence, for the trace pane, the CLI and --explain. Wording can change
// here without touching a trace, its hash or the explorer.
#pragma once
#include <string>

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

}  // namespace such::scenes
