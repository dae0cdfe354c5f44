// What a scene is: a small concurrent program written against the engine, its
// text for the talk, its parameters, and the outcome it exists to show.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scheduler.hpp"

namespace such::scenes {

// The scene's row of the talk's models table.
struct ModelRow {
    std::string model, os_mechanism, scheduling, communication, parallelism, example;
};

// An integer parameter with a range; a switch is a parameter from 0 to 1.
struct Param {
    std::string id;
    std::string label;
    int min = 0, max = 1, initial = 0;
    std::string help;
};

struct Settings {
    std::uint64_t seed = 1;
    engine::Policy policy = engine::Policy::Preemptive;
    std::vector<engine::TaskId> replay;
    std::map<std::string, int> params;  // missing ids take their initial value
};

struct Listing {
    std::string title;
    std::vector<std::string> lines;
};

struct Outcome {
    bool over = false;     // the run has ended
    bool bad = false;      // what it shows went wrong (lost update, deadlock...)
    std::string headline;  // one sentence for the status line
};

// One built instance of a scene: its scheduler and the objects its tasks use.
// Kept behind a pointer: the tasks' coroutine frames refer to its members.
class Run {
public:
    explicit Run(const Settings& settings);
    virtual ~Run() = default;
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    engine::Scheduler& sched() { return sched_; }
    const engine::Scheduler& sched() const { return sched_; }
    const std::vector<Listing>& listings() const { return listings_; }
    virtual Outcome outcome() const = 0;

protected:
    engine::Scheduler sched_;
    std::vector<Listing> listings_;
};

struct Scene {
    std::string id;       // "atomicity/race": URL hash, CLI name and test name
    std::string title;
    std::string section;  // the talk's section it belongs to
    ModelRow row;
    std::string slide;    // what the audience reads beside the scene
    std::string notes;    // what the speaker says
    std::vector<Param> params;
    std::function<std::unique_ptr<Run>(const Settings&)> build;
};

// Every scene, in the talk's order.
const std::vector<Scene>& catalogue();
// By full id, or by the last part of it when that is unique ("race").
const Scene* find_scene(std::string_view id);
// A parameter's value in these settings, clamped to its range.
int param_value(const Scene& scene, const Settings& settings, std::string_view id);
// Checks settings against the scene; an empty string means they are valid.
std::string check_settings(const Scene& scene, const Settings& settings);

}  // namespace such::scenes
