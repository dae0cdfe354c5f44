// One place that knows where the C++20 coroutine library lives: g++ 12 ships
// <coroutine>, emscripten 3.1.6's libc++ only <experimental/coroutine>.
#pragma once

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
