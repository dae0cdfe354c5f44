// User programs: a scene whose program is Lua 5.4 text. Each task is an engine
// task resuming a Lua coroutine; every call to a primitive yields to C++,
// which takes it as the same engine step a C++ scene takes. So programs get
// the scheduler, policies, cores, trace, time travel, explorer and views of
// the built-in scenes, with no second engine. The language is documented in
// scenes/PROGRAMS.md.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scenes/scene.hpp"

namespace such::scenes {

// Where and what: a syntax error (line and column), or a runtime error of a
// task (line; column 0), as the user should read it.
struct ProgramError {
    int line = 0;    // 1-based; 0 when the message names no line
    int column = 0;  // 1-based; 0 when unknown
    std::string message;
    std::string text() const;  // "line 3, column 7: unexpected symbol near ')'"
};

// Compiles the text without running it (the editor's live check). False with
// the error when it does not compile.
bool check_program(std::string_view text, ProgramError& error);

// A scene whose program is the text: id "play", one listing (the text's
// lines), every task marked at its current line. Its make() never throws on a
// bad program: the run then ends at once with the error as its outcome (see
// program_error). The explorer treats a failed assertion, a failed invariant,
// a task's runtime error and a deadlock as bad.
Scene program_scene(std::string text);

// The error a run of a program ended with (a syntax error, or the first task
// that died of an error or a failed assertion), if any. Null for runs that
// are not programs.
const ProgramError* program_error(const Run& run);
// What the program printed, one entry per print call, in order.
const std::vector<std::string>* program_output(const Run& run);

// The shipped examples, in the order the menu lists them.
struct Example {
    std::string id;      // "counter_race": --program examples/ID, #play?example=ID
    std::string title;   // "Counter race: x = x + 1 in two threads"
    std::string model;   // the talk's model it belongs to
    std::string text;    // the program
    bool goes_wrong;     // what the explorer finds (tests check it)
    std::string verdict; // one sentence: what goes wrong, or why nothing can
};
const std::vector<Example>& examples();
const Example* find_example(std::string_view id);

}  // namespace such::scenes
