// Tasks the channel tests on real threads share (test_channel_real.cpp, on a
// thread each; test_channel_green.cpp, on green threads): the same code runs
// on either runtime.
#pragma once
#include <vector>

#include "engine/channel.hpp"

namespace such::engine::testing {

// Receives until the channel is closed, keeping every value in order.
template <class T>
Task collect(Ctx& ctx, Channel<T>& in, std::vector<T>& got) {
    for (;;) {
        const Received r = co_await in.recv(ctx);
        if (!r.ok) break;
        got.push_back(static_cast<T>(r.value));
    }
}

// Receives from both channels by a select until both are closed.
template <class T>
Task merge(Ctx& ctx, Channel<T>& a, Channel<T>& b, std::vector<T>& got) {
    bool a_open = true, b_open = true;
    while (a_open || b_open) {
        // A closed input becomes a nil case, never ready (built first: g++ 12
        // cannot take a braced list inside co_await).
        std::vector<SelectCase> cases(2, SelectCase{nullptr, false});
        if (a_open) cases[0] = recv_case(a);
        if (b_open) cases[1] = recv_case(b);
        const Selected s = co_await select(ctx, std::move(cases));
        if (!s.ok) {
            (s.index == 0 ? a_open : b_open) = false;
            continue;
        }
        got.push_back(static_cast<T>(s.value));
    }
}

}  // namespace such::engine::testing
