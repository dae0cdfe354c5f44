// The CAF peer of bench_actors (C++ Actor Framework 0.17, Debian's libcaf-dev):
// the same two programs as bench/erlang/actors.erl, with event-based,
// dynamically typed CAF actors on a scheduler of 2 worker threads:
//   ping-pong: a message to the other actor and back, N times;
//   a ring of 1,000 actors passing a token HOPS hops.
// Each run is timed from the first send until every actor of the run is done.
// Prints per-second rates, best of 3.
// Run: bench/bench_caf.sh [N] [HOPS]   (installs libcaf-dev, compiles this, runs it next to ours)
//   or: g++ -std=c++17 -O2 actors.cpp -lcaf_core -lpthread -o actors && ./actors N HOPS
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "caf/all.hpp"

namespace {

using start_atom = caf::atom_constant<caf::atom("start")>;
using ping_atom = caf::atom_constant<caf::atom("ping")>;
using pong_atom = caf::atom_constant<caf::atom("pong")>;
using token_atom = caf::atom_constant<caf::atom("token")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;

// Answers every ping with a pong carrying the same count (the answer goes
// back to the sender), until told to stop.
caf::behavior ponger(caf::event_based_actor* self) {
    return {
        [](ping_atom, std::int64_t k) { return caf::make_message(pong_atom::value, k); },
        [self](stop_atom) { self->quit(); },
    };
}

// On start: pings, waits for the pong, n times (counting down), then stops the ponger.
caf::behavior pinger(caf::event_based_actor* self, caf::actor pong, std::int64_t n) {
    return {
        [self, pong, n](start_atom) { self->send(pong, ping_atom::value, n); },
        [self, pong](pong_atom, std::int64_t k) {
            if (k > 1) {
                self->send(pong, ping_atom::value, k - 1);
            } else {
                self->send(pong, stop_atom::value);
                self->quit();
            }
        },
    };
}

// Passes the token on (one hop fewer) until it runs out, then tells the next to stop.
caf::behavior ring_node(caf::event_based_actor* self, caf::actor next) {
    return {
        [self, next](token_atom, std::int64_t k) {
            if (k == 0) {
                self->send(next, stop_atom::value);
                self->quit();
            } else {
                self->send(next, token_atom::value, k - 1);
            }
        },
        [self, next](stop_atom) {
            self->send(next, stop_atom::value);
            self->quit();
        },
    };
}

// The ring's first node: learns its successor (which only exists after it)
// and the hop count from its start message, sends the token off and from
// then on is a node like the others.
caf::behavior ring_start(caf::event_based_actor* self) {
    return {
        [self](start_atom, const caf::actor& next, std::int64_t hops) {
            self->become(ring_node(self, next));
            self->send(next, token_atom::value, hops);
        },
    };
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double pingpong(caf::actor_system& sys, std::int64_t n) {
    auto pong = sys.spawn(ponger);
    auto ping = sys.spawn(pinger, pong, n);
    const auto t0 = std::chrono::steady_clock::now();
    caf::anon_send(ping, start_atom::value);
    sys.await_all_actors_done();
    return seconds_since(t0);
}

double ring(caf::actor_system& sys, int size, std::int64_t hops) {
    auto first = sys.spawn(ring_start);
    caf::actor next = first;  // built backwards: node i's successor is node i+1, the last's is the first
    for (int i = 1; i < size; ++i) next = sys.spawn(ring_node, next);
    const auto t0 = std::chrono::steady_clock::now();
    caf::anon_send(first, start_atom::value, next, hops);
    sys.await_all_actors_done();
    return seconds_since(t0);
}

template <class Run>
void print_rate(const char* name, double count, Run run) {
    double best = run();
    for (int i = 0; i < 2; ++i) best = std::min(best, run());
    std::printf("%s %.0f\n", name, count / best);
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t n = argc > 1 ? std::atol(argv[1]) : 100000;
    const std::int64_t hops = argc > 2 ? std::atol(argv[2]) : 100000;
    if (n <= 0 || hops <= 0) {
        std::fprintf(stderr, "usage: actors [N > 0] [HOPS > 0]\n");
        return 2;
    }
    caf::actor_system_config cfg;
    cfg.set("scheduler.max-threads", 2);
    caf::actor_system sys{cfg};
    if (sys.scheduler().num_workers() != 2) {
        std::fprintf(stderr, "actors: expected 2 scheduler workers, got %zu\n", sys.scheduler().num_workers());
        return 1;
    }
    print_rate("pingpong", static_cast<double>(n), [&] { return pingpong(sys, n); });
    print_rate("ring_hops", static_cast<double>(hops), [&] { return ring(sys, 1000, hops); });
    return 0;
}
