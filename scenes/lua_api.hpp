// Lua's C API, with C++ linkage: we link the Lua built as C++ (Debian's
// liblua5.4-c++ natively, ours for WebAssembly), whose errors and yields are
// C++ exceptions, so they unwind our frames (and run their destructors)
// instead of longjmp-ing over them.
#pragma once
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
