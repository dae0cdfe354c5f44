// Loopback TCP for real streams (Transport::Tcp). One listening socket on
// 127.0.0.1, at a port the kernel picks, serves the whole process: a stream
// connects to it and accepts its own connection, both ends with TCP_NODELAY
// (a request is not held back waiting for more). TCP is a byte stream: a
// write may arrive in pieces, or run into the next one. So a message is a
// line: the sender adds '\n' (Stream::send_message), and the receiver keeps
// the bytes until a '\n' comes and hands over whole lines.
#include "engine/event_loop.hpp"

#if defined(__linux__)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace such::engine {

#if defined(__linux__)

namespace {

// The process's listener: opened on first use, open until the process ends.
struct Listener {
    std::mutex mu;  // one connect and accept at a time
    int fd = -1;
    sockaddr_in addr{};
};

Listener& listener() {
    static Listener l;
    return l;
}

bool open_listener(Listener& l) {
    if (l.fd >= 0) return true;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;  // the kernel picks a free one
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, SOMAXCONN) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        return false;
    }
    l.fd = fd;
    l.addr = a;
    return true;
}

void no_delay(int fd) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

bool Stream::open_tcp() {
    Listener& l = listener();
    std::lock_guard lock(l.mu);
    if (!open_listener(l)) return false;
    const int net = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (net < 0) return false;
    sockaddr_in mine{};
    socklen_t len = sizeof mine;
    // On loopback the handshake ends inside connect: the connection waits in the listener's queue.
    if (::connect(net, reinterpret_cast<const sockaddr*>(&l.addr), sizeof l.addr) != 0 ||
        ::getsockname(net, reinterpret_cast<sockaddr*>(&mine), &len) != 0) {
        ::close(net);
        return false;
    }
    // Any program may connect to the port: accept until the connection is ours.
    for (;;) {
        sockaddr_in from{};
        socklen_t from_len = sizeof from;
        const int fd = ::accept4(l.fd, reinterpret_cast<sockaddr*>(&from), &from_len, SOCK_CLOEXEC);
        if (fd < 0 && errno == EINTR) continue;
        if (fd < 0) {
            ::close(net);
            return false;
        }
        if (from.sin_port == mine.sin_port && from.sin_addr.s_addr == mine.sin_addr.s_addr) {
            fd_loop_ = fd;
            break;
        }
        ::close(fd);
    }
    fd_net_ = net;
    no_delay(fd_net_);
    no_delay(fd_loop_);
    return true;
}

void Stream::take_lines(const char* data, long n) {
    if (n == 0) {  // the end: a last line without its '\n' still counts
        if (!inbox_.empty()) chunks_.push_back(std::move(inbox_));
        inbox_.clear();
        closed_ = true;
        return;
    }
    const char* end = data + (n > 0 ? n : 0);
    while (data < end) {
        const char* newline = static_cast<const char*>(std::memchr(data, '\n', static_cast<std::size_t>(end - data)));
        if (!newline) {
            inbox_.append(data, end);
            break;
        }
        if (inbox_.empty()) {
            chunks_.emplace_back(data, newline);
        } else {
            inbox_.append(data, newline);
            chunks_.push_back(std::move(inbox_));
            inbox_.clear();
        }
        data = newline + 1;
    }
}

bool Stream::fill() {
    if (!closed_ && fd_loop_ >= 0) {
        char buf[65536];
        ssize_t n = ::recv(fd_loop_, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) n = 0;  // reset: the end
        take_lines(buf, n);
    }
    return !chunks_.empty() || closed_;
}

#else

bool Stream::open_tcp() { return false; }
void Stream::take_lines(const char*, long) {}
bool Stream::fill() { return !chunks_.empty() || closed_; }

#endif

// Lines taken off a socket that the poll phase's callbacks did not read are
// the next poll's, though epoll has nothing more to report (a socket pair
// leaves its messages in the kernel, where epoll sees them).
void EventLoop::hold_unread(const std::vector<Stream*>& polled) {
    std::lock_guard lock(mu_);
    for (Stream* st : polled) {
        if (st->watch_slot_ >= watches_.size() || !watches_[st->watch_slot_].on) continue;
        std::lock_guard sl(st->mu_);
        if (!st->chunks_.empty()) io_held_.push_back(st);
    }
}

}  // namespace such::engine
