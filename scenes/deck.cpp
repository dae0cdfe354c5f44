// The talk, slide by slide, in our own words. Live slides name a scene by its
// link; their text and notes come from the scene unless a slide adds its own.
#include "scenes/deck.hpp"

#include "scenes/models.hpp"

namespace such::scenes {
namespace {

Slide text(std::string section, std::string title, std::vector<std::string> bullets, std::string notes,
           std::string subtitle = {}, std::string code = {}) {
    Slide s;
    s.section = std::move(section);
    s.title = std::move(title);
    s.subtitle = std::move(subtitle);
    s.bullets = std::move(bullets);
    s.code = std::move(code);
    s.notes = std::move(notes);
    return s;
}

Slide live(std::string section, std::string link, std::uint64_t export_steps = 40, std::string vary = {}) {
    Slide s;
    s.vary = std::move(vary);
    s.kind = SlideKind::Live;
    s.section = std::move(section);
    s.link = std::move(link);
    s.export_steps = export_steps;
    return s;
}

std::vector<Slide> build_deck() {
    std::vector<Slide> d;
    const std::string intro = "Introduction", concepts = "General concepts", models = "The models", end = "Conclusion";
    d.push_back(text(intro, "Such blocking, very concurrency, wow", {},
                     "Welcome. Everything on these slides that moves is a real program running on a real scheduler.",
                     "A tour of concurrency models, every one of them running live"));
    d.push_back(text(intro, "How do you scale?",
                     {"Buy a faster machine: that stopped working around 2005",
                      "Do more things at once: more cores, more machines, less waiting",
                      "Every way of doing more at once is a concurrency model",
                      "Each one trades something: safety, speed, simplicity, memory"},
                     "Clock speeds stalled; cores multiplied. The rest of the talk is about how programs use them."));
    d.push_back(text(intro, "Agenda",
                     {"General concepts: concurrency and parallelism, processes and threads, scheduling, communication, atomicity",
                      "The models: threads and locks, transactional memory, processes, actors, channels (CSP), futures, coroutines, event loops",
                      "For each: a live program, its pros and its cons", "Use the best tool"},
                     "There are many more formal models (Petri nets, the pi-calculus...). We stay with the ones people ship."));
    d.push_back(text(concepts, "Concurrency vs parallelism",
                     {"Concurrency: dealing with many things at once (how a program is structured)",
                      "Parallelism: doing many things at once (how it is executed)",
                      "One core can be concurrent, by taking turns; parallelism needs at least two",
                      "So concurrency contains parallelism: every parallel program is concurrent, not the other way round"},
                     "People use these words differently. Here: concurrency is about structure, parallelism is about execution."));
    d.push_back(live(concepts, "basics/parallelism?seed=1", 30));
    d.push_back(text(concepts, "Who runs your code? OS mechanisms",
                     {"A process: its own memory, its own resources; the OS isolates it",
                      "A thread: runs inside a process and shares its memory; has its own stack",
                      "A green thread, fiber or coroutine: scheduled by a runtime, not the kernel; many per OS thread",
                      "An event loop: one thread, many callbacks, nothing ever runs at the same time"},
                     "Cheapest at the bottom, most isolated at the top. Memory per unit goes from megabytes to hundreds of bytes."));
    d.push_back(text(concepts, "Scheduling: preemptive or cooperative",
                     {"Preemptive: the scheduler may stop a task anywhere, at any instruction",
                      "  fair, but any two steps of two tasks may interleave",
                      "Cooperative: a task runs until it chooses to yield",
                      "  no surprise switches, but one task that never yields freezes the rest"},
                     "Next slide: a hog that never yields, on one worker. There O switches the policy and V makes the hog yield."));
    d.push_back(live(concepts, "basics/scheduling?seed=1", 40, "yields"));
    d.push_back(text(concepts, "Communication",
                     {"Shared memory: tasks read and write the same variables; they must coordinate (locks, transactions)",
                      "Message passing: tasks own their data and send copies or references (mailboxes, channels, pipes)",
                      "Shared memory is fast and easy to get wrong; messages are explicit and cost a copy or a hand-off"},
                     "Every model in this talk picks one of these two, sometimes both."));
    d.push_back(text(concepts, "Atomicity", {"foo += 1 looks like one step; it is three: read, add, write",
                                             "Two tasks may both read before either writes: one update is lost",
                                             "An atomic step cannot be split: nobody sees it half done"},
                     "The next slide plays it: the scheduler interleaves the reads.", {},
                     "# task A            # task B\nTMP = foo           TMP = foo\nTMP = TMP + 1       TMP = TMP + 1\nfoo = TMP           foo = TMP"));
    d.push_back(live(concepts, "atomicity/race?seed=2", 12));
    Slide table;
    table.kind = SlideKind::Models;
    table.section = models;
    table.title = "The models";
    table.notes = "Every row opens its scene. Read it left to right: what runs, who decides when, how tasks talk.";
    d.push_back(table);

    d.push_back(live(models, "threads/counter?seed=3", 40));
    d.push_back(live(models, "threads/philosophers?seed=1", 60));
    d.push_back(live(models, "threads/buffer?seed=1", 40));
    d.push_back(text(models, "Threads & mutexes: pros and cons",
                     {"+ What the hardware and the OS give you; everything else is built on it",
                      "+ Fast when contention is low", "- Forget one lock and an update is lost",
                      "- Take two locks in different orders and the program deadlocks",
                      "- Locks do not compose: two correct operations together are not correct"},
                     "The last beat of each live slide showed every schedule of these programs, including each deadlock."));
    d.push_back(live(models, "stm/commit?seed=1", 40));
    d.push_back(live(models, "stm/bank?seed=1", 60));
    d.push_back(live(models, "stm/compose?seed=1", 40));
    d.push_back(live(models, "stm/contention?seed=1", 60, "vars"));
    d.push_back(text(models, "Transactional memory: pros and cons",
                     {"+ No locks to order, so no deadlocks", "+ Transactions compose: two transfers in one are atomic",
                      "+ Readers never block writers", "- Under contention, work is thrown away and repeated",
                      "- Side effects (I/O) cannot be rolled back", "- A runtime cost on every read and write"},
                     "Clojure's refs and Haskell's STM. The contention scene shows where optimism stops paying."));
    d.push_back(live(models, "proc/pipe?seed=1", 40));
    d.push_back(live(models, "actors/anonymous?seed=1", 40));
    d.push_back(live(models, "csp/cake?seed=1", 40, "shelf"));
    d.push_back(live(models, "csp/pipeline?seed=1", 60));
    d.push_back(live(models, "csp/deadlock?seed=1", 30));
    d.push_back(text(models, "Channels (CSP): pros and cons",
                     {"+ No shared state: tasks meet on a channel and hand a value over",
                      "+ Backpressure for free: a full channel slows the producer",
                      "+ Select over several channels", "- Channels deadlock too when everyone waits",
                      "- A channel is shared: who reads, who closes, must be agreed"},
                     "Go and core.async. Compared to actors: channels are anonymous, actors have addresses."));
    d.push_back(live(models, "actors/pingpong?seed=1", 40));
    d.push_back(live(models, "actors/selective?seed=1", 40));
    d.push_back(live(models, "actors/supervisor?seed=1", 60));
    d.push_back(text(models, "Actors: pros and cons",
                     {"+ Each actor owns its state; only messages cross", "+ Location transparent: the address may be on another machine",
                      "+ Let it crash: supervisors restart what failed", "- Mailboxes can grow without bound",
                      "- Ordering across actors is not guaranteed", "- Request and reply by hand is verbose"},
                     "Erlang runs telephone switches and WhatsApp this way."));
    d.push_back(live(models, "futures/pinger?seed=1", 40));
    d.push_back(text(models, "Futures & promises: pros and cons",
                     {"+ Ask now, wait later: the caller keeps working", "+ A value set once cannot race",
                      "- Waiting on a future still blocks", "- Chains of callbacks get hard to follow"},
                     "JavaScript promises, Scala futures, Oz dataflow variables."));
    d.push_back(live(models, "coroutines/fibers?seed=1", 40));
    d.push_back(live(models, "coroutines/green?seed=1", 40));
    d.push_back(text(models, "Coroutines & green threads: pros and cons",
                     {"+ A hand-off costs nanoseconds, a task costs a few hundred bytes",
                      "+ Code reads top to bottom", "- One task that never yields stops its worker",
                      "- A blocking system call blocks every task on that thread"},
                     "Ruby fibers, Lua, Python generators; goroutines and Erlang processes run many per OS thread."));
    d.push_back(live(models, "loop/timers?seed=1", 40));
    d.push_back(live(models, "loop/ordering?seed=1", 40));
    d.push_back(live(models, "loop/echo?seed=1", 60));
    d.push_back(live(models, "loop/blocked?seed=1", 60));
    d.push_back(live(models, "loop/c10k?seed=1", 60));
    d.push_back(text(models, "Event loops: pros and cons",
                     {"+ No polling: the loop sleeps until something happens", "+ Thousands of idle connections cost almost nothing",
                      "+ One thread: no locks inside your callbacks", "- One slow callback and everything waits",
                      "- Callbacks scatter the flow of the program", "- A crash loses the stack that led to it"},
                     "node.js, nginx, Redis, EventMachine, Twisted. Your browser is an event loop."));

    d.push_back(text(end, "Use the best tool",
                     {"Threads & locks: simple programs, and building the other models",
                      "Transactions: shared state with many readers and composed updates",
                      "Actors: many independent parties and failures to survive (chat, switches, brokers)",
                      "Channels: pipelines and fan-in with backpressure (Go services)",
                      "Event loops: lots of waiting on the outside world (browsers, proxies)",
                      "Green threads: a task per connection without a thread per connection"},
                     "No model wins everywhere. Each scene here ran on the same engine; the explorer says what can go wrong in each."));
    Slide best;
    best.kind = SlideKind::Compare;
    best.section = end;
    best.title = "One problem, every model";
    best.subtitle = "Two workers add to one count, in six models: which lose updates, and what each costs";
    best.link = "conclusion/one_counter?seed=1&workers=2&m=2";
    best.compare = "model";
    best.export_steps = 12;
    best.notes = "The same counter in each model, playing together; P pauses, Page Down jumps to the end. The right-hand columns "
                 "are measured now: each program on real threads, and the explorer over every schedule of a small run.";
    d.push_back(best);
    d.push_back(text(end, "Your turn: be the scheduler",
                     {"Challenges: lose an update, deadlock the philosophers, break a transaction...",
                      "Press C, or Talk > Challenges in the menu bar", "Every scene runs in your browser and on your desktop"},
                     "Thank the audience; point at the challenges for the hallway.", "Thank you"));
    return d;
}

const std::vector<const ModelRow*>& table_rows() {
    static const std::vector<const ModelRow*> kRows = {
        &models::kThreadsMutexes, &models::kThreadsStm, &models::kAnonymousActors, &models::kProcesses, &models::kCsp,
        &models::kActors, &models::kFutures, &models::kCoroutines, &models::kGreenThreads, &models::kEvented,
    };
    return kRows;
}

}  // namespace

const std::vector<Slide>& deck() {
    static const std::vector<Slide> kDeck = build_deck();
    return kDeck;
}

std::vector<ModelsRow> models_table() {
    std::vector<ModelsRow> out;
    for (const ModelRow* row : table_rows()) {
        const Scene* first = nullptr;
        for (const Scene& s : catalogue()) {
            if (s.row.model == row->model) {
                first = &s;
                break;
            }
        }
        out.push_back({row, first});
    }
    return out;
}

const Scene* slide_scene(std::size_t i) {
    const auto& d = deck();
    if (i >= d.size() || d[i].link.empty()) return nullptr;
    return find_scene(d[i].link.substr(0, d[i].link.find('?')));
}

std::string slide_title(std::size_t i) {
    const auto& d = deck();
    if (i >= d.size()) return {};
    const Scene* scene = slide_scene(i);
    return d[i].title.empty() && scene ? scene->title : d[i].title;
}

const Param* variant_param(const Scene& scene, std::string_view id) {
    const Param* first_named = nullptr;
    for (const Param& p : scene.params) {
        if (p.id == id) return &p;
        if (!first_named && !p.choices.empty()) first_named = &p;
    }
    return first_named ? first_named : scene.params.empty() ? nullptr : &scene.params.front();
}

std::string slide_notes(std::size_t i) {
    const auto& d = deck();
    if (i >= d.size()) return {};
    const Scene* scene = slide_scene(i);
    return d[i].notes.empty() && scene ? scene->notes : d[i].notes;
}

}  // namespace such::scenes
