// Benchmark: loopback TCP echo. C connections (default 1,000) each make R
// round trips (a line out, the same line back), driven by one client load
// generator (T threads, each with its share of the connections in its own
// epoll set and one request in flight on each) against three servers:
//   our event loop on real threads: Transport::Tcp streams watched by epoll,
//     a reactor callback that reads the line and replies;
//   a thread per connection: a std::thread each, blocking reads;
//   node's net server (bench/node/echo_server.js, Debian's node).
// Every server answers whole lines, one write per line. Connecting and one
// warm-up round trip per connection are not timed. Prints requests per
// second for each, best of 3, and ours / each.
// Run: build/native/bench_echo [CONNECTIONS] [REQUESTS] [CLIENT_THREADS] [NODE_SCRIPT]
//
// Index:
// - [SECTION] The client load generator, the same for every server
// - [SECTION] The servers
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "bench/rates.hpp"
#include "engine/event_loop.hpp"

extern char** environ;

namespace {
using namespace such::engine;
using Clock = std::chrono::steady_clock;

struct Load {
    int connections = 1000, requests = 100, threads = 2;
};

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "bench_echo: %s\n", why.c_str());
    std::exit(1);
}

void no_delay(int fd) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// [SECTION] The client load generator, the same for every server

// One client thread: its connections, one request in flight on each, until
// each has had `requests` replies, every one checked byte for byte.
void client(const std::vector<int>& fds, int me, const Load& load, int requests) {
    struct Conn {
        int fd;
        int id;
        int done = 0;
        std::string inbox, expect;
    };
    std::vector<Conn> conns;
    for (std::size_t i = static_cast<std::size_t>(me); i < fds.size(); i += static_cast<std::size_t>(load.threads)) conns.push_back({fds[i], static_cast<int>(i), 0, {}, {}});
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    const auto send_next = [](Conn& c) {
        c.expect = "GET /" + std::to_string(c.id) + "/" + std::to_string(c.done);
        const std::string line = c.expect + "\n";
        if (::send(c.fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) fail("send failed");
    };
    for (std::size_t i = 0; i < conns.size(); ++i) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
        send_next(conns[i]);
    }
    std::size_t left = conns.size();
    epoll_event events[256];
    char buf[4096];
    while (left > 0) {
        const int n = ::epoll_wait(ep, events, 256, 10000);
        if (n == 0) fail("no reply for 10 s");
        for (int e = 0; e < n; ++e) {
            Conn& c = conns[events[e].data.u64];
            const ssize_t got = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
            if (got == 0) fail("the server closed connection " + std::to_string(c.id));
            if (got < 0) continue;
            c.inbox.append(buf, static_cast<std::size_t>(got));
            const std::size_t nl = c.inbox.find('\n');
            if (nl == std::string::npos) continue;
            if (nl + 1 != c.inbox.size() || c.inbox.compare(0, nl, c.expect) != 0) fail("connection " + std::to_string(c.id) + ": sent \"" + c.expect + "\", got \"" + c.inbox + "\"");
            c.inbox.clear();
            if (++c.done == requests) {
                --left;
            } else {
                send_next(c);
            }
        }
    }
    ::close(ep);
}

// Every connection makes `requests` round trips; the seconds that took.
double drive(const std::vector<int>& fds, const Load& load, int requests) {
    std::vector<std::thread> threads;
    const auto t0 = Clock::now();
    for (int t = 0; t < load.threads; ++t) threads.emplace_back(client, std::cref(fds), t, std::cref(load), requests);
    for (std::thread& t : threads) t.join();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A warm-up round trip on every connection (every server has accepted and is
// waiting), then the timed run; then the end of the clients' data.
double measure(const std::vector<int>& fds, const Load& load) {
    drive(fds, load, 1);
    const double seconds = drive(fds, load, load.requests);
    for (int fd : fds) ::shutdown(fd, SHUT_WR);
    return seconds;
}

std::vector<int> connect_all(int port, int count) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    std::vector<int> fds;
    for (int i = 0; i < count; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) fail("connect to port " + std::to_string(port) + " failed");
        no_delay(fd);
        fds.push_back(fd);
    }
    return fds;
}

// [SECTION] The servers

Task loop_task(Ctx& ctx, EventLoop& loop, Callback main) { co_await loop.run(ctx, "main", std::move(main)); }

double our_loop(const Load& load) {
    std::deque<Stream> conns;
    std::vector<int> fds;
    for (int i = 0; i < load.connections; ++i) {
        Stream& s = conns.emplace_back("conn " + std::to_string(i), Transport::Tcp);
        fds.push_back(s.peer_fd());
        if (fds.back() < 0) fail("no loopback TCP connection");
    }
    EventLoop loop{"loop"};
    RealRuntime rt(RealOptions{false, 0, 0});
    rt.add(loop);
    std::atomic<bool> watching{false};
    rt.spawn("loop", 0, [&](Ctx& c) {
        return loop_task(c, loop, [&conns, &watching](EventLoop& l) {
            for (Stream& s : conns) {
                Stream* sp = &s;
                l.watch(s, s.name(), [sp](EventLoop& x) {
                    std::string req = sp->read();
                    if (req.empty()) {
                        x.unwatch(*sp);
                    } else {
                        sp->reply(std::move(req));
                    }
                });
            }
            watching = true;
        });
    });
    std::thread runner([&rt] { rt.run(); });
    while (!watching) std::this_thread::yield();
    const double seconds = measure(fds, load);
    runner.join();
    if (!rt.failure().empty()) fail(rt.failure());
    if (loop.io_backend() != "epoll") fail("the loop did not use epoll");
    return seconds;
}

void serve_lines(int fd) {
    std::string inbox;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        inbox.append(buf, static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (std::size_t nl; (nl = inbox.find('\n', start)) != std::string::npos; start = nl + 1) {
            ::send(fd, inbox.data() + start, nl + 1 - start, MSG_NOSIGNAL);
        }
        inbox.erase(0, start);
    }
    ::close(fd);
}

double thread_per_connection(const Load& load) {
    const int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (lfd < 0 || ::bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(lfd, SOMAXCONN) != 0 ||
        ::getsockname(lfd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        fail("no listening socket");
    std::vector<std::thread> servers;
    std::thread acceptor([&] {
        for (int i = 0; i < load.connections; ++i) {
            const int fd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) fail("accept failed");
            no_delay(fd);
            servers.emplace_back(serve_lines, fd);
        }
    });
    const std::vector<int> fds = connect_all(ntohs(a.sin_port), load.connections);
    acceptor.join();
    const double seconds = measure(fds, load);
    for (std::thread& t : servers) t.join();
    for (int fd : fds) ::close(fd);
    ::close(lfd);
    return seconds;
}

// Node, started for the run: 0 seconds when there is no node to start.
double node_server(const Load& load, const std::string& script) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) fail("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::string name = "node", path = script;
    char* argv[] = {name.data(), path.data(), nullptr};
    pid_t pid = -1;
    const int err = ::posix_spawnp(&pid, "node", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    std::string port;
    char ch;
    while (err == 0 && ::read(out[0], &ch, 1) == 1 && ch != '\n') port += ch;
    ::close(out[0]);
    double seconds = 0;
    if (!port.empty()) {
        const std::vector<int> fds = connect_all(std::atoi(port.c_str()), load.connections);
        seconds = measure(fds, load);
        for (int fd : fds) ::close(fd);
    }
    ::close(in[1]);  // node exits at the end of its stdin
    if (err == 0) ::waitpid(pid, nullptr, 0);
    return seconds;
}

template <class Run>
double best_rate(const Load& load, Run run) {
    double best = 0;
    for (int i = 0; i < 3; ++i) {
        const double seconds = run();
        if (seconds > 0) best = std::max(best, static_cast<double>(load.connections) * load.requests / seconds);
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    Load load;
    if (argc > 1) load.connections = std::atoi(argv[1]);
    if (argc > 2) load.requests = std::atoi(argv[2]);
    if (argc > 3) load.threads = std::atoi(argv[3]);
    std::string script = __FILE__;
    script = argc > 4 ? argv[4] : script.substr(0, script.find_last_of('/') + 1) + "node/echo_server.js";
    if (load.connections <= 0 || load.requests <= 0 || load.threads <= 0 || load.threads > load.connections) {
        std::fprintf(stderr, "usage: bench_echo [CONNECTIONS > 0] [REQUESTS > 0] [CLIENT_THREADS, 1..CONNECTIONS] [NODE_SCRIPT]\n");
        return 2;
    }
    // Both ends of every connection live in this process (node's server ends in node's).
    const std::size_t need = 2 * static_cast<std::size_t>(load.connections) + 64;
    if (descriptor_limit() < need) {
        std::fprintf(stderr, "bench_echo: %d connections need %zu descriptors; this process may open %zu\n", load.connections, need, descriptor_limit());
        return 2;
    }
    std::printf("loopback TCP echo: %d connections x %d requests, %d client threads; requests per second, best of 3\n", load.connections, load.requests, load.threads);
    const double ours = best_rate(load, [&] { return our_loop(load); });
    std::printf("%-28s %12.0f\n", "such event loop (epoll)", ours);
    const double threads = best_rate(load, [&] { return thread_per_connection(load); });
    std::printf("%-28s %12.0f\n", "thread per connection", threads);
    const double node = best_rate(load, [&] { return node_server(load, script); });
    if (node > 0) {
        std::printf("%-28s %12.0f\n", "node net server", node);
    } else {
        std::printf("%-28s %12s\n", "node net server", "(no node)");
    }
    std::printf("ours / threads %.2fx\n", ours / threads);
    such::bench::record("echo.connections", load.connections);
    such::bench::record("echo.requests", load.requests);
    such::bench::record("echo.client_threads", load.threads);
    such::bench::record("echo.ours", ours);
    such::bench::record("echo.threads", threads);
    if (node > 0) such::bench::record("echo.node", node);
    if (node > 0) std::printf("ours / node    %.2fx\n", ours / node);
    return 0;
}
