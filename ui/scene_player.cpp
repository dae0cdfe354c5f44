// The open scene's run and its time travel (see scene_player.hpp).
//
// Index
//   [SECTION] Opening and rebuilding
//   [SECTION] Stepping and the manual policy's picks
//   [SECTION] Playing
#include "ui/scene_player.hpp"

#include <algorithm>

#include "engine/trace.hpp"

namespace such::ui {

// [SECTION] Opening and rebuilding

void ScenePlayer::open(const scenes::Scene& scene, const scenes::Settings& settings) {
    scene_ = &scene;
    settings_ = settings;
}

void ScenePlayer::fresh() {
    settings_.picks.clear();
    mark_step_ = -1;
    history_.assign({});
    memory_.clear();
    run_.reset();
    playing_ = false;
    rebuild(0);
}

void ScenePlayer::close() {
    scene_ = nullptr;
    run_.reset();
    playing_ = false;
}

// Random choices come from the seed and manual ones from the history, so
// this reproduces the run exactly. A seeded run keeps only its latest events
// and choices, and needs no history: a long run keeps bounded memory.
void ScenePlayer::rebuild(std::uint64_t steps) {
    if (run_) {
        const auto& choices = run_->sched().choices();
        if (choices.forgotten() == 0 &&
            (choices.size() > history_.tasks.size() || !std::equal(choices.begin(), choices.end(), history_.tasks.begin()))) {
            history_.assign(choices);
        }
    }
    scenes::Settings s = settings_;
    if (s.policy == engine::Policy::Manual) {
        s.policy = engine::Policy::Replay;
        const auto& tasks = history_.tasks;
        s.replay.assign(tasks.begin(), tasks.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(steps, tasks.size())));
    }
    run_ = scene_->build(s);
    if (!run_->is_real()) {
        run_->sched().keep_last_events(engine::kKeptEvents);
        run_->sched().keep_last_choices(engine::kKeptEvents);
    }
    for (std::uint64_t i = 0; i < steps && run_->sched().step(); ++i) {
    }
    since_step_ = 10.0f;
}

void ScenePlayer::remember(std::vector<engine::TaskId> choices) { history_.assign(std::move(choices)); }

// The scene then replays exactly that schedule step by step (right arrow).
void ScenePlayer::replay(const engine::Finding& finding) {
    settings_.policy = engine::Policy::Manual;
    settings_.picks = finding.picks;  // the selects' picks the explorer took
    history_.assign(finding.choices);
    memory_.clear();
    run_.reset();
    playing_ = false;
    rebuild(0);
    mark_step_ = static_cast<std::int64_t>(finding.choices.size()) - 1;
}

// [SECTION] Stepping and the manual policy's picks

bool ScenePlayer::step_forward() {
    if (!run_) return false;
    auto& sched = run_->sched();
    bool stepped = false, picked = false;
    if (manual() || sched.config().policy == engine::Policy::Replay) {
        if (sched.steps() < history_.tasks.size()) stepped = picked = pick(history_.tasks[sched.steps()], false);
    } else {
        stepped = sched.step();
    }
    if (stepped) since_step_ = 0.0f;
    if (sched.verdict() != engine::Verdict::Running || (manual() && !stepped)) playing_ = false;
    return picked || !playing_;  // while it plays, the address waits for it to rest
}

// You are the scheduler: the given task takes the next step.
bool ScenePlayer::pick(engine::TaskId task, bool by_user) {
    auto& sched = run_->sched();
    const std::uint64_t at = sched.steps();
    const auto ready = sched.runnable();
    if (std::find(ready.begin(), ready.end(), task) == ready.end() || !sched.step_task(task)) return false;
    auto& [tasks, picked] = history_;
    if (at < tasks.size() && tasks[at] != task) {
        tasks.resize(at);
        picked.resize(at);
    }
    if (at >= tasks.size()) {
        tasks.push_back(task);
        picked.push_back(false);
    }
    if (by_user) picked[at] = true;
    since_step_ = 0.0f;
    return true;
}

bool ScenePlayer::step_back() {
    if (!run_ || run_->sched().steps() == 0) return false;
    rebuild(run_->sched().steps() - 1);
    return true;
}

// Manual: → and Play repeat the choices remembered from before stepping
// back (or a replayed schedule's), never choose for the user: the choice is
// the lesson, and a key that picked "the first ready task" would play the
// challenges for them. With nothing remembered they say so and do nothing.
bool ScenePlayer::manual_can_step(std::string& why) const {
    if (!manual() || run_->over() || run_->sched().steps() < history_.tasks.size()) return true;
    why = "\xE2\x86\x92 and Play only repeat your choices: press " + pick_keys();
    return false;
}

bool ScenePlayer::picked_all() const {
    const std::size_t steps = run_->sched().steps();
    const auto& picked = history_.picked;
    return steps <= picked.size() && std::find(picked.begin(), picked.begin() + static_cast<std::ptrdiff_t>(steps), false) ==
                                         picked.begin() + static_cast<std::ptrdiff_t>(steps);
}

// "1 \xE2\x80\x93 3" or "1": the digit keys that name this run's tasks.
std::string ScenePlayer::pick_keys() const {
    const std::size_t n = std::min<std::size_t>(run_->sched().task_count(), 9);
    return (n > 1 ? "1 \xE2\x80\x93 " + std::to_string(n) : std::string("1")) + " (or run me)";
}

std::string ScenePlayer::hint_line(bool touch) const {
    if (!run_) return {};
    const auto& sched = run_->sched();
    const char* again = touch ? "Back or Restart below" : "\xE2\x86\x90 back, R restart";
    if (sched.verdict() == engine::Verdict::Deadlock) return std::string("deadlock: every task waits; ") + again;
    if (run_->over()) return std::string("the run is over; ") + again;
    if (!manual()) {
        if (touch) return playing_ ? "playing; Pause below stops" : "Step below takes one step, Play plays";
        return playing_ ? "playing; Space pauses" : "\xE2\x86\x92 steps, Space plays";
    }
    const std::string pick = touch ? std::string("run me on a task") : pick_keys();
    if (sched.steps() < history_.tasks.size()) {
        return std::string(touch ? "Step" : "\xE2\x86\x92") + " repeats your choice (" + sched.task_name(history_.tasks[sched.steps()]) + "), or " +
               (touch ? "tap " : "press ") + pick;
    }
    if (sched.runnable().empty()) return "no task can step now";
    return std::string("you are the scheduler: ") + (touch ? "tap " : "press ") + pick;
}

// [SECTION] Playing

void ScenePlayer::pass(float dt, float pace, bool open) {
    since_step_ += dt;
    if (playing_ && open) {
        accumulator_ += dt * pace;
    } else {
        accumulator_ = 0.0f;
    }
}

bool ScenePlayer::step_due() {
    if (!playing_ || accumulator_ < 1.0f) return false;
    accumulator_ -= 1.0f;
    return true;
}

ViewContext ScenePlayer::view_context(const Fonts& fonts, bool workbench) {
    ViewContext vc{fonts, since_step_};
    vc.memory = &memory_;
    if (workbench) {
        vc.mark_step = mark_step_;
        vc.manual = manual();
    }
    return vc;
}

}  // namespace such::ui
