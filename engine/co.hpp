// Co<T>: a coroutine a task calls and awaits, so programs can be built from
// functions that take steps (a transaction body, `withdraw`, `deposit`...).
// It starts when awaited; an exception inside it is rethrown at the co_await.
// On the simulator the scheduler resumes whichever coroutine took the step.
//
// No symmetric transfer (WebAssembly without the tail-call feature cannot
// compile it): the awaiting coroutine starts the Co inline; if it ends before
// suspending (always, on real threads) the caller simply goes on; if it
// suspended on a step, its end resumes the caller. Either way the stack only
// grows with the nesting of calls, never with the number of them.
//
// Frames come from a few short lists of freed blocks kept per thread
// (FramePool, block_pool.hpp): a transaction on real threads makes two or
// three frames an attempt, and malloc and free cost more than its own work.
#pragma once
#include <cstddef>
#include <exception>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "engine/block_pool.hpp"
#include "engine/coro.hpp"

namespace such::engine {

template <class T>
class Co;

namespace detail {

struct CoPromiseBase {
    coro::handle<> caller;
    bool inline_start = false;  // the caller's await_suspend is still on the stack
    coro::Escaped error;
    coro::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
        bool await_ready() noexcept { return false; }
        template <class P>
        void await_suspend(coro::handle<P> self) noexcept {
            CoPromiseBase& p = self.promise();
            if (p.inline_start) return;  // the caller sees done() and goes on
            coro::handle<> resumed = p.caller;
            resumed.resume();  // may destroy this frame: touch nothing after
        }
        void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void unhandled_exception() { error = std::current_exception(); }
    static void* operator new(std::size_t size) { return FramePool::take(size); }
    static void operator delete(void* frame, std::size_t size) { FramePool::give(frame, size); }
};

template <class T>
struct CoPromise : CoPromiseBase {
    std::optional<T> value;
    Co<T> get_return_object();
    void return_value(T v) { value = std::move(v); }
    T take() {
        if (error) std::rethrow_exception(*error);
        return std::move(*value);
    }
};

template <>
struct CoPromise<void> : CoPromiseBase {
    Co<void> get_return_object();
    void return_void() {}
    void take() {
        if (error) std::rethrow_exception(*error);
    }
};

}  // namespace detail

template <class T = void>
class [[nodiscard]] Co {
public:
    using value_type = T;
    using promise_type = detail::CoPromise<T>;
    using Handle = coro::handle<promise_type>;

    explicit Co(Handle h) : handle_(h) {}
    Co(Co&& other) noexcept : handle_(std::exchange(other.handle_, {})), done_(std::move(other.done_)) {}
    Co& operator=(Co&&) = delete;
    ~Co() {
        if (handle_) handle_.destroy();
    }

    // A Co that has already ended, with `value` (none for Co<void>) and no
    // frame: awaiting it gives the value at once. For a function that did
    // its work when called (atomically on a native thread, where every step
    // runs at once anyway), so a call costs no coroutine.
    template <class... V>
    static Co done(V&&... value) {
        Co co;
        co.done_.emplace(std::forward<V>(value)...);
        return co;
    }

    bool await_ready() const noexcept { return !handle_; }
    // Runs the Co until it suspends or ends; true: the caller suspends too.
    bool await_suspend(coro::handle<> caller) {
        auto& p = handle_.promise();
        p.caller = caller;
        p.inline_start = true;
        handle_.resume();
        if (handle_.done()) return false;
        p.inline_start = false;
        return true;
    }
    T await_resume() {
        if (!handle_) {
            if constexpr (!std::is_void_v<T>) return std::move(*done_);
            else return;
        }
        return handle_.promise().take();
    }

    // Runs the coroutine here, on the caller's stack, until it ends or
    // suspends, without awaiting it: true if it ended (await_resume then gives
    // its result or throws its exception). One that suspended is dropped with
    // this Co, whose destructor destroys its frame and so the frames of the
    // Co it was awaiting, running the destructors of everything live in them.
    // (atomically on a native thread, where only a doomed read suspends.)
    bool run_here() {
        handle_.promise().inline_start = true;
        handle_.resume();
        return handle_.done();
    }

private:
    Co() = default;
    Handle handle_;
    std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> done_;  // a Co made by done()
};

namespace detail {
template <class T>
Co<T> CoPromise<T>::get_return_object() {
    return Co<T>{coro::handle<CoPromise<T>>::from_promise(*this)};
}
inline Co<void> CoPromise<void>::get_return_object() { return Co<void>{coro::handle<CoPromise<void>>::from_promise(*this)}; }
}  // namespace detail

}  // namespace such::engine
