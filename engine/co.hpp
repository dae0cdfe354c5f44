// Co<T>: a coroutine a task calls and awaits, so programs can be built from
// functions that take steps (a transaction body, `withdraw`, `deposit`...).
// It starts when awaited and hands control back to its caller when it ends
// (symmetric transfer); an exception inside it is rethrown at the co_await.
// On the simulator the scheduler resumes whichever coroutine took the step.
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
    std::exception_ptr error;
    coro::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
        bool await_ready() noexcept { return false; }
        template <class P>
        coro::handle<> await_suspend(coro::handle<P> self) noexcept {
            return self.promise().caller;
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
    coro::handle<> await_suspend(coro::handle<> caller) noexcept {
        handle_.promise().caller = caller;
        return handle_;
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
