// The event loop on real threads: the same program prints in the same order
// as on the simulator; a worker thread posts back; a network thread's writes
// are echoed by a reactor and by a proactor, over socket pairs and loopback
// TCP, and a thread's blocking read gets whole lines; timers fire on the real
// clock; clients outside the engine talk TCP to the loop's streams.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/socket.h>

#include <cerrno>
#endif

#include "engine/event_loop.hpp"
#include "scenes/scene.hpp"

using namespace such::engine;

namespace {
Task loop_task(Ctx& ctx, EventLoop& loop, Callback main) { co_await loop.run(ctx, "main", std::move(main)); }

Task network(Ctx& ctx, Stream& s, int n) {
    for (int i = 0; i < n; ++i) {
        co_await SleepStep(ctx, 1);
        co_await s.write(ctx, "req " + std::to_string(i));
    }
    co_await s.close(ctx);
}

Task worker(Ctx& ctx, EventLoop& loop) {
    co_await SleepStep(ctx, 3);
    co_await loop.post(ctx, "done", [](EventLoop& l) {
        l.log("worker done");
        l.keep_alive(-1);
    });
}

// An echo server on one stream: a reactor reads and answers, and stops
// watching at the end; a proactor answers what the loop hands it.
void serve_echo(EventLoop& l, Stream& s, bool proactor) {
    Stream* sp = &s;
    if (proactor) {
        l.read(s, s.name(), [sp](EventLoop&, const std::string& d) {
            if (!d.empty()) sp->reply(d);
        });
        return;
    }
    l.watch(s, s.name(), [sp](EventLoop& x) {
        const std::string d = sp->read();
        if (d.empty()) {
            x.unwatch(*sp);
        } else {
            sp->reply(d);
        }
    });
}

void ordering(EventLoop& l) {
    l.log("main");
    l.set_timeout("b", 4, [](EventLoop& x) { x.log("b"); });
    l.set_timeout("a", 2, [](EventLoop& x) {
        x.log("a");
        x.set_immediate("i", [](EventLoop& y) { y.log("immediate after a"); });
        x.next_tick("n", [](EventLoop& y) { y.log("tick after a"); });
    });
    l.queue_microtask("p", [](EventLoop& x) { x.log("promise"); });
    l.next_tick("n", [](EventLoop& x) { x.log("tick"); });
}
}  // namespace

TEST_CASE("real threads: the loop prints in the simulator's order, and its timers wait on the real clock") {
    EventLoop sim_loop{"loop"}, real_loop{"loop"};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(sim_loop);
    s.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, sim_loop, ordering); });
    s.run();
    RealRuntime rt(RealOptions{false, 0, 0});
    rt.add(real_loop);
    rt.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, real_loop, ordering); });
    rt.run();
    REQUIRE(rt.failure().empty());
    const std::vector<std::string> expected{"main", "tick", "promise", "a", "tick after a", "immediate after a", "b"};
    CHECK(sim_loop.output() == expected);
    CHECK(real_loop.output() == expected);
    CHECK(rt.seconds() >= 0.004);
    for (const auto& l : real_loop.lateness()) CHECK(l.fired >= l.due);
}

TEST_CASE("real threads: a worker thread posts to the loop, and a network thread's requests are echoed both ways") {
    for (const bool proactor : {false, true})
    for (const Transport transport : {Transport::SocketPair, Transport::Tcp}) {
        CAPTURE(proactor);
        CAPTURE(static_cast<int>(transport));
        EventLoop loop{"loop"};
        Stream sock{"socket", transport};
        RealRuntime rt(RealOptions{false, 0, 0});
        rt.add(loop);
        rt.add(sock);
        Callback main = [&sock, proactor](EventLoop& l) {
            l.keep_alive(1);
            serve_echo(l, sock, proactor);
        };
        rt.spawn("loop", 0, [&](Ctx& c) { return loop_task(c, loop, main); });
        rt.spawn("network", 1, [&](Ctx& c) { return network(c, sock, 20); });
        rt.spawn("worker", 2, [&](Ctx& c) { return worker(c, loop); });
        rt.run();
        REQUIRE(rt.failure().empty());
        REQUIRE(sock.echoed().size() == 20);
        for (int i = 0; i < 20; ++i) CHECK(sock.echoed()[static_cast<std::size_t>(i)] == "req " + std::to_string(i));
        CHECK(loop.output() == std::vector<std::string>{"worker done"});
    }
}

namespace {
Task clients(Ctx& ctx, std::vector<std::unique_ptr<Stream>>& socks) {
    for (auto& s : socks) co_await s->write(ctx, "hello from " + s->name());
    for (auto& s : socks) co_await s->close(ctx);
}
}  // namespace

TEST_CASE("real threads natively: an epoll loop echoes every request of 500 socket pairs exactly once") {
    std::vector<std::unique_ptr<Stream>> socks;
    for (int i = 0; i < 500; ++i) socks.push_back(std::make_unique<Stream>("s" + std::to_string(i)));
    EventLoop loop{"loop"};
    RealRuntime rt(RealOptions{false, 0, 0});
    rt.add(loop);
    std::string backend;
    rt.spawn("loop", 0, [&](Ctx& c) {
        return loop_task(c, loop, [&socks, &backend](EventLoop& l) {
            backend = l.io_backend();
            for (auto& s : socks) serve_echo(l, *s, false);
        });
    });
    rt.spawn("clients", 1, [&](Ctx& c) { return clients(c, socks); });
    rt.run();
    REQUIRE(rt.failure().empty());
#if defined(__linux__)
    CHECK(backend == "epoll");
#endif
    for (auto& s : socks) {
        REQUIRE(s->echoed().size() == 1);
        CHECK(s->echoed()[0] == "hello from " + s->name());
    }
}

TEST_CASE("real threads natively: loop/c10k answers 1,000 connections once each, with one loop or a thread each") {
    namespace sc = such::scenes;
    for (const int model : {0, 1}) {
        CAPTURE(model);
        sc::Settings s;
        s.runtime = sc::RuntimeKind::Real;
        s.record = false;
        s.params = {{"model", model}, {"count", 1}};
        REQUIRE(sc::check_settings(*sc::find_scene("loop/c10k"), s).empty());
        auto run = sc::find_scene("loop/c10k")->build(s);
        run->real().run();
        REQUIRE(run->real().failure().empty());
        const sc::Outcome out = run->outcome();
        CHECK_FALSE(out.bad);
        CHECK(run->outcome_key() == "1000 of 1000 answered");
    }
}

namespace {
Task thread_server(Ctx& ctx, Stream& s, std::vector<std::string>& got) {
    for (;;) {
        const std::string line = co_await s.wait_read(ctx);
        if (line.empty()) break;
        got.push_back(line);
    }
}

Task burst(Ctx& ctx, Stream& s, int n) {
    for (int i = 0; i < n; ++i) co_await s.write(ctx, "line " + std::to_string(i));
    co_await s.close(ctx);
}
}  // namespace

TEST_CASE("real threads: a thread's blocking read over loopback TCP gets whole lines, however the bytes arrive") {
    Stream sock{"socket", Transport::Tcp};
    std::vector<std::string> got;
    RealRuntime rt(RealOptions{false, 0, 0});
    rt.add(sock);
    rt.spawn("server", 0, [&](Ctx& c) { return thread_server(c, sock, got); });
    rt.spawn("network", 1, [&](Ctx& c) { return burst(c, sock, 200); });  // back to back: several lines to a segment
    rt.run();
    REQUIRE(rt.failure().empty());
    REQUIRE(got.size() == 200);
    for (int i = 0; i < 200; ++i) CHECK(got[static_cast<std::size_t>(i)] == "line " + std::to_string(i));
}

#if defined(__linux__)
namespace {
// A client outside the engine, on a TCP stream's other end: blocking round
// trips, a request in two pieces for some, two requests in one write for
// others. Returns the replies, line by line.
std::vector<std::string> tcp_client(int fd, int id, int requests) {
    std::vector<std::string> got;
    std::string inbox;
    const auto send_all = [fd](const std::string& bytes) { ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); };
    const auto read_lines = [&](int n) {
        char buf[4096];
        for (;;) {
            for (std::size_t nl; n > 0 && (nl = inbox.find('\n')) != std::string::npos; --n) {
                got.push_back(inbox.substr(0, nl));
                inbox.erase(0, nl + 1);
            }
            if (n == 0) return;
            const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
            if (r <= 0 && errno != EINTR) return;
            if (r > 0) inbox.append(buf, static_cast<std::size_t>(r));
        }
    };
    const auto request = [id](int k) { return "client " + std::to_string(id) + " request " + std::to_string(k); };
    for (int k = 0; k < requests;) {
        if (id % 3 == 1) {  // half a line, a pause (TCP_NODELAY sends it alone), the rest
            const std::string req = request(k++);
            send_all(req.substr(0, 5));
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            send_all(req.substr(5) + "\n");
            read_lines(1);
        } else if (id % 3 == 2 && k + 1 < requests) {  // two lines in one segment
            send_all(request(k) + "\n" + request(k + 1) + "\n");
            k += 2;
            read_lines(2);
        } else {
            send_all(request(k++) + "\n");
            read_lines(1);
        }
    }
    ::shutdown(fd, SHUT_WR);
    return got;
}
}  // namespace

TEST_CASE("real threads natively: a loopback TCP echo server on the loop answers every request of 200 clients exactly once") {
    constexpr int kClients = 200, kRequests = 5;
    std::vector<std::unique_ptr<Stream>> socks;
    for (int i = 0; i < kClients; ++i) socks.push_back(std::make_unique<Stream>("c" + std::to_string(i), Transport::Tcp));
    std::vector<std::vector<std::string>> replies(kClients);
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
        const int fd = socks[static_cast<std::size_t>(i)]->peer_fd();
        REQUIRE(fd >= 0);
        clients.emplace_back([&replies, fd, i] { replies[static_cast<std::size_t>(i)] = tcp_client(fd, i, kRequests); });
    }
    EventLoop loop{"loop"};
    RealRuntime rt(RealOptions{false, 0, 0});
    rt.add(loop);
    rt.spawn("loop", 0, [&](Ctx& c) {
        return loop_task(c, loop, [&socks](EventLoop& l) {
            for (std::size_t i = 0; i < socks.size(); ++i) serve_echo(l, *socks[i], i % 2 == 1);  // half reactors, half proactors
        });
    });
    rt.run();
    for (std::thread& t : clients) t.join();
    REQUIRE(rt.failure().empty());
    CHECK(loop.io_backend() == "epoll");
    for (int i = 0; i < kClients; ++i) {
        CAPTURE(i);
        const Stream& s = *socks[static_cast<std::size_t>(i)];
        std::vector<std::string> expected;
        for (int k = 0; k < kRequests; ++k) expected.push_back("client " + std::to_string(i) + " request " + std::to_string(k));
        CHECK(replies[static_cast<std::size_t>(i)] == expected);
        CHECK(s.echoed() == expected);
        char extra;  // nothing more came back: each request was answered once
        CHECK(::recv(socks[static_cast<std::size_t>(i)]->peer_fd(), &extra, 1, MSG_DONTWAIT) < 0);
    }
}
#endif
