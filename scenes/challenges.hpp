// "You are the scheduler": challenges a student or an audience plays with the
// manual policy. Each is a scene, settings, and a goal the run must reach; the
// app says when it is reached and in how many steps. Unlocked in order.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scenes/scene.hpp"

namespace such::scenes {

struct Challenge {
    std::string id;     // "lose-an-update": the progress file's key
    std::string title;
    std::string goal;   // what to make happen, in one sentence
    std::string hint;
    std::string link;   // the scene and its settings; the policy is always manual
    Goal reached;       // true once the run shows the goal
};

const std::vector<Challenge>& challenges();

// What a player has solved: challenge id -> fewest steps it took.
struct Progress {
    std::map<std::string, std::uint64_t> best;
    bool solved(std::string_view id) const { return best.count(std::string(id)) != 0; }
    // Challenge i is open once every one before it is solved.
    bool unlocked(std::size_t i) const;
    // Records a win; true when it is new or better than before.
    bool record(const std::string& id, std::uint64_t steps);
    // "id steps" per line. parse() accepts only what save() writes and ids it
    // knows; on anything else it returns false, says why, and keeps `out` as it was.
    std::string save() const;
    static bool parse(std::string_view text, Progress& out, std::string& error);
};

}  // namespace such::scenes
