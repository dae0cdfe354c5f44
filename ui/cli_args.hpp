// The headless command line's arguments (such list | run | explore | trace |
// deck), parsed into what to do, apart from doing it (ui/cli_main.cpp), so a
// test can throw argument lists at the parser in-process. No ImGui here.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/explorer.hpp"
#include "scenes/scene.hpp"

namespace such::cli {

enum class Verb { Help, List, Deck, Run, Explore, Trace };

struct Command {
    Verb verb = Verb::Help;
    const scenes::Scene* scene = nullptr;   // run, explore: a scene or the program below
    std::unique_ptr<scenes::Scene> program; // run, explore of FILE.lua or examples/ID
    std::string named;                      // the scene or program as the arguments named it
    scenes::Settings settings;
    std::uint64_t max_steps = 100000;       // run
    std::string trace_path;                 // run --trace; trace FILE
    bool explain = false;                   // run, trace
    engine::ExploreOptions explore;         // explore
    bool json = false;                      // explore
    // The arguments were right but what they name is not: a program that does
    // not compile or cannot be read. Its message stands alone, without the usage.
    bool bad_input = false;
};

// The arguments after the program's name. False with the reason when they are
// bad (the caller prints it with the usage and exits 2): unknown verbs and
// options, values out of range, an option given twice, a program that cannot
// be read or does not compile, and a --replay list naming a task that cannot
// take that step (the scene is run along the list to find out).
bool parse_command(const std::vector<std::string_view>& args, Command& out, std::string& error);

}  // namespace such::cli
