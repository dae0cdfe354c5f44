// The talk's models table, one row per model, written once: each scene names
// the row it belongs to (and the talk's models slide can list them all).
#pragma once
#include "scenes/scene.hpp"

namespace such::scenes::models {

inline const ModelRow kThreadsMutexes{"Threads & mutexes", "native threads", "preemptive", "shared memory", "concurrent and parallel", "C, Java, C++"};
inline const ModelRow kThreadsStm{"Threads & transactional memory", "native threads", "preemptive", "shared memory", "concurrent and parallel",
                                  "Clojure, Haskell"};
inline const ModelRow kAnonymousActors{"~Anonymous actors", "threads", "preemptive", "message queues", "concurrent and parallel",
                                       "Go-style worker pools, Java BlockingQueue"};
inline const ModelRow kProcesses{"Processes & IPC", "OS processes", "preemptive", "pipes, sockets, messages (copied)", "concurrent and parallel",
                                 "Unix shells, PostgreSQL"};
inline const ModelRow kActors{"Actors", "threads or VM processes", "preemptive", "messages to an address (mailbox)", "concurrent and parallel",
                              "Erlang, Akka, Celluloid"};
inline const ModelRow kCsp{"CSP", "threads or green threads", "preemptive", "channels (message passing)", "concurrent and parallel",
                           "Go, Clojure core.async"};
inline const ModelRow kFutures{"Futures & promises", "threads", "preemptive", "shared values (set once)", "concurrent and parallel",
                               "JavaScript, Scala, Oz"};
inline const ModelRow kCoroutines{"Coroutines", "one thread", "cooperative", "resume / yield (values passed by hand)", "concurrent, not parallel",
                                  "Ruby fibers, Lua, Python generators"};
inline const ModelRow kEvented{"Evented", "one thread (an event loop)", "cooperative (callbacks run to their end)", "events and callbacks",
                               "concurrent, not parallel", "node.js, Redis, nginx, EventMachine, Twisted"};
inline const ModelRow kGreenThreads{"Green threads / VM processes", "a few OS threads shared by many tasks (M:N)", "cooperative inside the runtime",
                                    "messages or channels", "concurrent, parallel up to the workers", "Erlang processes, goroutines"};
// The conclusion's row, not one of the table's: the same job in every model.
inline const ModelRow kUseTheBestTool{"All of them", "threads, green threads or one thread", "preemptive or cooperative",
                                      "shared memory, transactions, channels, mailboxes, callbacks", "as each model allows", "use the best tool"};

}  // namespace such::scenes::models
