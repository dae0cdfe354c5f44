// Lua values inside engine objects, and the copy that keeps tasks apart.
// Engine primitives hold 64-bit integers; a Lua integer passes as itself and
// any other value (nil, booleans, floats, strings, tables, functions) as a
// handle to a boxed copy. Equal scalars get equal handles, so a
// compare-and-swap or an outcome compares values, not boxes.
//
// clone() is the copy a task starts with (like a forked process's memory):
// tables and functions are copied deeply, closures with fresh upvalues that
// hold copies; engine objects (userdata) and the standard library are
// shared. So tasks can only meet through the engine's objects, whose every
// access is a step the explorer sees.
#pragma once
#include <cstdint>
#include "scenes/lua_api.hpp"
#include <map>
#include <string>
#include <vector>

namespace such::scenes::lua {

class Values {
public:
    // `frozen`: see clone().
    explicit Values(int frozen = LUA_NOREF) : frozen_(frozen) {}
    // The handle of the value at `index` of L (a copy of it is kept).
    std::int64_t encode(lua_State* L, int index);
    // Pushes onto L a fresh copy of the value `handle` stands for.
    void push(lua_State* L, std::int64_t handle);
    // The value as a reader sees it: 3, true, nil, "hi", {1, 2, x = 3}.
    std::string text(std::int64_t handle) const;
    std::int64_t nil() { return kBase; }  // box 0, made first
    static bool is_box(std::int64_t handle) { return handle < kSmallest; }

private:
    static constexpr std::int64_t kBase = INT64_MIN;
    static constexpr std::int64_t kSmallest = -(std::int64_t{1} << 62);  // integers below are boxed too
    struct Box {
        int ref;  // in the registry
        std::string text;
    };
    int frozen_;
    std::vector<Box> boxes_;
    std::map<std::string, std::size_t> scalars_;  // interned by value
};

// A deterministic text for the value at `index` (no addresses): what print,
// tostring and outcomes show. Tables print to `depth` levels.
std::string display(lua_State* L, int index, int depth = 3);
// The same, with a string shown as its bare text (print's arguments).
std::string display_raw(lua_State* L, int index);

// The bytecode of the Lua function at `index` (lua_dump, not stripped).
std::string dump(lua_State* L, int index);

// Pushes a copy of the value at `index` (see above). `frozen` is a registry
// reference to a table whose keys are shared as they are (the libraries).
void clone(lua_State* L, int index, int frozen);

}  // namespace such::scenes::lua
