// Generic views of the engine's state: tasks with their code and locals,
// objects by kind (variable, mutex), and the trace. They read, never change.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scenes/scene.hpp"
#include "ui/theme.hpp"

namespace such::ui {

// What the views remember between frames to animate a change (a value
// sliding in, a task joining a queue). View state only: it never feeds back
// into the engine.
struct ViewMemory {
    struct Seen {
        std::string value, previous;
        double changed_at = -10.0;
        std::vector<engine::TaskId> waiting;
        std::map<engine::TaskId, double> joined_at;
        // A channel: how many values it had passed when last drawn, and when
        // that count last changed (its value in flight follows a hand-over,
        // not any change of what the channel shows, such as a value buffered).
        std::uint64_t passed = 0;
        double passed_at = -10.0;
        bool passed_known = false;  // the first frame that shows it animates nothing
    };
    std::map<engine::ObjectId, Seen> objects;
    std::map<std::pair<engine::TaskId, int>, double> tx_rolled_back;  // (task, attempt) -> when it was first shown dropped
    void clear() {
        objects.clear();
        tx_rolled_back.clear();
    }
};

struct ViewContext {
    const Fonts& fonts;
    float since_step;     // seconds since the last step, for fading highlights
    bool manual = false;  // "you are the scheduler": offer a button per ready task
    ViewMemory* memory = nullptr;
    std::int64_t mark_step = -1;  // a step to mark on the timeline ("goes wrong here")
    float lanes_at = 0.0f;  // the lanes' labels take at least this many pixels (rows of lanes that line up)
    // A phone's column: a task's chip that does not fit after its code line goes under it, rather than
    // making the whole listing shrink its text to make room for it.
    bool stacked = false;
};

// A code line wider than `width` in the current font, as a phone's listing draws it: broken where words
// break, each piece after the first four columns past the line's indent, and a comment's pieces after its
// start beginning with its marker ("//" or "--") again.
std::vector<std::string> wrap_code(const std::string& line, float width);
// The code listings with each task marked at its current line, then the task
// cards. Returns the task whose "run me" button was pressed (manual policy), or kNone.
engine::TaskId draw_tasks(const scenes::Run& run, const ViewContext& vc);
// How wide draw_tasks draws its widest listing line with one task's chip after it, at this scale.
float listing_width(const scenes::Run& run, const ViewContext& vc);
// The task cards alone: state, what each waits for, locals, "run me" (manual).
engine::TaskId draw_task_cards(const scenes::Run& run, const ViewContext& vc);
// `flow`: four or more mailboxes and variables alone go into columns where the pane is wide enough
// (each as wide as the widest one's first line, and at least kObjectColumnEm, of full-size text).
void draw_objects(const scenes::Run& run, const ViewContext& vc, bool flow = false);
inline constexpr float kObjectColumnEm = 17.0f;
void draw_trace(const scenes::Run& run, const ViewContext& vc);
// Swim lanes per task over virtual time. Returns the tick the user clicked
// (to scrub there), or -1.
std::int64_t draw_timeline(const scenes::Run& run, const ViewContext& vc);
// What the lanes' colours mean, its pieces wrapped to `width` (one line on a
// wide window, two or three on a phone), and the lines it then takes.
void draw_timeline_legend(float width, bool states_only = false);
int timeline_legend_lines(float width);
// The legend's width on one line; `states_only`: its chips and their names, with no "lanes:" and
// no "empty: not started or done" (a slide's footer).
float timeline_legend_width(bool states_only = false);
// Transactional memory (view_stm.cpp): a TVar's line in the objects view,
// the version clock, the transactions table (false when the run has no STM)
// and the contention chart of commits and rollbacks over time.
void draw_tvar(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap, const ViewMemory::Seen* seen);
void draw_clock(const engine::Snapshot& snap);
bool draw_transactions(const scenes::Run& run, const ViewContext& vc);
bool has_transactions(const scenes::Run& run);
void draw_contention(const scenes::Run& run);
// Message passing (view_channels.cpp): a channel's pipe, slots and waiting parties.
void draw_channel(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap, ViewMemory::Seen* seen);
// A promise or dataflow variable: pending, fulfilled or broken; who waits on it.
void draw_future(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap);
// A pipe's bytes in flight, and a process's private memory.
void draw_pipe(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap);
void draw_memory(const scenes::Run& run, const engine::Object& o, const engine::Snapshot& snap);
// Actors (view_actors.cpp): an address, alive or dead, and its mailbox's messages in order.
void draw_mailbox(const scenes::Run& run, const engine::Object& o, const ViewContext& vc);
// A fiber: which side holds control, the value last passed, hand-offs so far.
void draw_fiber(const scenes::Run& run, const engine::Object& o);
void draw_loop(const scenes::Run& run, const engine::Object& o, const ViewContext& vc);
void draw_stream(const engine::Object& o);
// The actors of a run as a graph (links, monitors, supervisors on top, the latest message moving); nothing with fewer than two.
void draw_actor_graph(const scenes::Run& run, const ViewContext& vc);
// The deadlock ring's geometry for `nodes` nodes (tasks and objects, alternating, the first at the
// top): its square's side, the radius of the nodes' centres, a task circle's radius (an object's box
// is 2.8 x 1.4 of it). No wider than `room_x`.
struct RingLayout {
    float size = 0, radius = 0, node_r = 0;
};
RingLayout ring_layout(int nodes, float em, float room_x);
// When the run is deadlocked: the wait-for cycle as a ring of arrows, sized so
// its labels keep apart. True when it left room beside it (the next item goes there).
bool draw_deadlock_cycle(const scenes::Run& run, const ViewContext& vc);
// What a run's objects hold: the deadlock's ring when there is one (the objects
// beside it where the pane is wide enough), the objects (in columns where they fit), the transactions.
void draw_state(const scenes::Run& run, const ViewContext& vc);

}  // namespace such::ui
