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
#pragma once
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "engine/coro.hpp"

namespace such::engine {

template <class T>
class Co;

namespace detail {

struct CoPromiseBase {
    coro::handle<> caller;
    bool inline_start = false;  // the caller's await_suspend is still on the stack
    std::exception_ptr error;
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
};

template <class T>
struct CoPromise : CoPromiseBase {
    std::optional<T> value;
    Co<T> get_return_object();
    void return_value(T v) { value = std::move(v); }
    T take() {
        if (error) std::rethrow_exception(error);
        return std::move(*value);
    }
};

template <>
struct CoPromise<void> : CoPromiseBase {
    Co<void> get_return_object();
    void return_void() {}
    void take() {
        if (error) std::rethrow_exception(error);
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
    Co(Co&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    Co& operator=(Co&&) = delete;
    ~Co() {
        if (handle_) handle_.destroy();
    }

    bool await_ready() const noexcept { return false; }
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
    T await_resume() { return handle_.promise().take(); }

private:
    Handle handle_;
};

namespace detail {
template <class T>
Co<T> CoPromise<T>::get_return_object() {
    return Co<T>{coro::handle<CoPromise<T>>::from_promise(*this)};
}
inline Co<void> CoPromise<void>::get_return_object() { return Co<void>{coro::handle<CoPromise<void>>::from_promise(*this)}; }
}  // namespace detail

}  // namespace such::engine
