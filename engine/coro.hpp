// One place that knows where the C++20 coroutine library lives: g++ 12 ships
// <coroutine>, emscripten 3.1.6's libc++ only <experimental/coroutine>.
#pragma once

#include <exception>
#include <optional>

#if __has_include(<coroutine>)
#include <coroutine>
namespace such::engine::coro {
template <class P = void>
using handle = std::coroutine_handle<P>;
using suspend_always = std::suspend_always;
}  // namespace such::engine::coro
#else
#include <experimental/coroutine>
namespace such::engine::coro {
template <class P = void>
using handle = std::experimental::coroutine_handle<P>;
using suspend_always = std::experimental::suspend_always;
}  // namespace such::engine::coro
#endif

namespace such::engine::coro {
// An exception that escaped a coroutine's body, kept by its promise. In an
// optional: emscripten's libc++ destroys even an empty std::exception_ptr by
// a call into its runtime, and the engine destroys frames by the million
// (about 2% of a WebAssembly step); the optional tests first, inline.
using Escaped = std::optional<std::exception_ptr>;
}  // namespace such::engine::coro
