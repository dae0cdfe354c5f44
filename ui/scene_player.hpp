// The open scene's run on the simulator and its time travel: play, pause and
// speed, a step forward or back, seeking, the manual policy's picks, and what
// the views remember between frames. App decides what opens; the player runs it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scenes/scene.hpp"
#include "ui/views.hpp"

namespace such::ui {

class ScenePlayer {
public:
    // The scene and settings the next fresh() or rebuild() runs.
    void open(const scenes::Scene& scene, const scenes::Settings& settings);
    void set_settings(const scenes::Settings& settings) { settings_ = settings; }
    // The selects' picks hold for the next rebuild, not for settings changed later.
    void set_picks(std::vector<std::uint64_t> picks) { settings_.picks = std::move(picks); }
    // A fresh run from step 0: nothing remembered, not playing.
    void fresh();
    // Drops the run and the scene (a slide without a scene, the menu).
    void close();

    const scenes::Scene* scene() const { return scene_; }
    const scenes::Settings& settings() const { return settings_; }
    bool manual() const { return settings_.policy == engine::Policy::Manual; }
    scenes::Run* run() { return run_.get(); }
    const scenes::Run* run() const { return run_.get(); }

    // Time travel by re-execution: the run built afresh, `steps` steps taken.
    void rebuild(std::uint64_t steps);
    // The choices to replay (a link's picks, a trace's), none of them the user's;
    // rebuild then walks them.
    void remember(std::vector<engine::TaskId> choices);
    // A finding's schedule from step 0, manual, with the step where it goes wrong marked.
    void replay(const engine::Finding& finding);
    // One step (manual: the next remembered choice). True when the address
    // should follow it: the run rests, or a remembered choice was taken.
    bool step_forward();
    // One step back (false at step 0).
    bool step_back();
    // The given task takes the next step; by_user: the user chose it, not a replayed list.
    bool pick(engine::TaskId task, bool by_user = true);
    // Manual policy: true when → / Play can step (a remembered choice is next); else says why.
    bool manual_can_step(std::string& why) const;
    // The first steps up to now were all the user's own picks.
    bool picked_all() const;
    // The transport's line: what the keys do now, true after a deadlock or the end. `touch`: a phone's
    // column, whose bar of buttons at the screen's foot is what a finger has (the keys still work).
    std::string hint_line(bool touch = false) const;

    bool playing() const { return playing_; }
    void set_playing(bool playing) { playing_ = playing; }
    float speed() const { return speed_; }  // steps per second while playing
    void set_speed(float speed) { speed_ = speed; }
    // Once a frame: time passes for the highlight fade and, while playing
    // something open, at `pace` steps a second for the steps due.
    void pass(float dt, float pace, bool open);
    // One step is due while playing (counted off): the caller takes it.
    bool step_due();

    // The views' context for this run: its fade and memory; on the workbench
    // (the scene page) also the marked step and the manual policy's buttons.
    ViewContext view_context(const Fonts& fonts, bool workbench);
    float since_step() const { return since_step_; }

private:
    std::string pick_keys() const;

    const scenes::Scene* scene_ = nullptr;
    scenes::Settings settings_;
    std::unique_ptr<scenes::Run> run_;
    ViewMemory memory_;
    std::int64_t mark_step_ = -1;  // where a replayed finding goes wrong
    // The furthest run's choices, to step forward again after stepping back,
    // and for each whether the user picked it (a digit key, a "run me" button,
    // the pick command); a replayed finding's, a trace's or a policy's were not.
    struct History {
        std::vector<engine::TaskId> tasks;
        std::vector<bool> picked;
        void assign(std::vector<engine::TaskId> choices) {
            tasks = std::move(choices);
            picked.assign(tasks.size(), false);
        }
    };
    History history_;
    bool playing_ = false;
    float speed_ = 2.0f;
    float accumulator_ = 0.0f;
    float since_step_ = 10.0f;  // seconds since the last step, for the highlight fade
};

}  // namespace such::ui
