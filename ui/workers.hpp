// Threads the UI starts itself (the explorer's search, a real run, the
// comparison slide's measurements) run on Web Workers in the threaded
// browser build. The page starts no Worker until one is needed: a thread is
// started only once a Worker is loaded and waiting, because the UI thread may
// later join it, and a thread whose Worker is still loading cannot start
// while the UI thread waits (the Worker's "loaded" message needs the UI
// thread's event loop). Natively every thread can start at once.
#pragma once

namespace such::ui {

// The threads a real run takes in the browser: the page's limit of six (see
// web/main_web.cpp) and the run's own controller, and one to spare.
inline constexpr int kRealRunWorkers = 8;

// True when `n` threads can start now. Otherwise false, and the platform
// starts loading Workers so that a later call (a later frame) says true.
bool workers_ready(int n);

// The platform's answer to workers_ready (the browser's Worker pool);
// nullptr: always ready.
void set_workers_ready(bool (*ready)(int n));

}  // namespace such::ui
