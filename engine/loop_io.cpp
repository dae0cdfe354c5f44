// The event loop's real descriptors. On Linux: each stream is a socket pair
// of the SOCK_SEQPACKET kind (reliable, and each write arrives as one
// message) or a loopback TCP connection (engine/loop_tcp.cpp), the loop waits
// in epoll_wait, and an eventfd wakes it for posts.
// Elsewhere (WebAssembly) streams stay in memory and the loop waits on a
// condition variable: the same program, the same order, no descriptors.
#include "engine/event_loop.hpp"

#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#endif
#include <utility>

namespace such::engine {

#if defined(__linux__)

std::size_t descriptor_limit() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
    if (lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
        ::getrlimit(RLIMIT_NOFILE, &lim);
    }
    return static_cast<std::size_t>(lim.rlim_cur);
}

std::uint64_t context_switches() {
    rusage u{};
    if (::getrusage(RUSAGE_SELF, &u) != 0) return 0;
    return static_cast<std::uint64_t>(u.ru_nvcsw + u.ru_nivcsw);
}

Stream::~Stream() {
    if (fd_loop_ >= 0) ::close(fd_loop_);
    if (fd_net_ >= 0) ::close(fd_net_);
}

bool Stream::open_real() {
    if (fd_loop_ >= 0) return true;
    if (transport_ == Transport::Tcp) return open_tcp();
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) return false;
    fd_loop_ = fds[0];
    fd_net_ = fds[1];
    return true;
}

int Stream::peer_fd() {
    std::lock_guard lock(mu_);
    return open_real() ? fd_net_ : -1;
}

void Stream::send_message(int fd, const std::string& data) const {
    if (transport_ == Transport::SocketPair) {
        ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);  // blocks while the other side is full
        return;
    }
    // TCP: the line and its '\n' in one call, resumed if the kernel takes part of it.
    char newline = '\n';
    iovec iov[2] = {{const_cast<char*>(data.data()), data.size()}, {&newline, 1}};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    while (msg.msg_iovlen > 0) {
        ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return;  // the other end is gone
        for (; msg.msg_iovlen > 0 && static_cast<std::size_t>(n) >= msg.msg_iov->iov_len; ++msg.msg_iov, --msg.msg_iovlen) n -= static_cast<ssize_t>(msg.msg_iov->iov_len);
        if (msg.msg_iovlen > 0) {
            msg.msg_iov->iov_base = static_cast<char*>(msg.msg_iov->iov_base) + n;
            msg.msg_iov->iov_len -= static_cast<std::size_t>(n);
        }
    }
}

void Stream::reply_real(const std::string& data) {
    int fd = -1;
    {
        std::lock_guard lock(mu_);
        if (transport_ == Transport::Tcp) fd = fd_loop_;
    }
    if (fd >= 0) send_message(fd, data);
}

bool Stream::send_real(const std::string& data, bool close) {
    int fd = -1;
    {
        std::lock_guard lock(mu_);
        if (!open_real()) return false;
        fd = fd_net_;
        if (!close) ++written_;
    }
    if (close) {
        ::shutdown(fd, SHUT_WR);
    } else {
        send_message(fd, data);
    }
    return true;
}

bool Stream::recv_real(std::string& out) {
    if (fd_loop_ < 0) return false;
    if (transport_ == Transport::Tcp) {  // the next whole line, from what was taken off the connection or is there now
        if (chunks_.empty()) fill();
        out.clear();
        if (!chunks_.empty()) {
            out = std::move(chunks_.front());
            chunks_.pop_front();
        }
        return true;
    }
    char buf[65536];
    const ssize_t n = ::recv(fd_loop_, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
        out.assign(buf, static_cast<std::size_t>(n));
    } else {
        out.clear();
        if (n == 0) closed_ = true;  // the network closed its end
    }
    return true;
}

bool Stream::recv_blocking(std::string& out) {
    std::unique_lock lock(mu_);
    if (!open_real()) return false;
    char buf[65536];
    ssize_t n;
    if (transport_ == Transport::Tcp) {  // until a whole line is in, or the end
        while (chunks_.empty() && !closed_) {
            lock.unlock();  // the network takes the lock to send
            do {
                n = ::recv(fd_loop_, buf, sizeof buf, 0);
            } while (n < 0 && errno == EINTR);
            lock.lock();
            take_lines(buf, n < 0 ? 0 : n);  // an error ends the data too
        }
        out.clear();
        if (!chunks_.empty()) {
            out = std::move(chunks_.front());
            chunks_.pop_front();
        }
        return true;
    }
    lock.unlock();
    do {
        n = ::recv(fd_loop_, buf, sizeof buf, 0);
    } while (n < 0 && errno == EINTR);
    out.assign(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    return true;
}

EventLoop::~EventLoop() { io_close(); }

void EventLoop::io_open() {
    epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) return;
    wakefd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr;  // the wake-up
    if (wakefd_ < 0 || ::epoll_ctl(epfd_, EPOLL_CTL_ADD, wakefd_, &ev) != 0) io_close();
}

void EventLoop::io_close() {
    if (wakefd_ >= 0) ::close(wakefd_);
    if (epfd_ >= 0) ::close(epfd_);
    wakefd_ = epfd_ = -1;
}

void EventLoop::io_watch(Stream& s) {
    if (epfd_ < 0) return;
    {
        std::lock_guard lock(s.mu_);
        if (!s.open_real()) return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.ptr = &s;
    ::epoll_ctl(epfd_, EPOLL_CTL_ADD, s.fd_loop_, &ev);
}

void EventLoop::io_unwatch(Stream& s) {
    if (epfd_ < 0 || s.fd_loop_ < 0) return;
    ::epoll_ctl(epfd_, EPOLL_CTL_DEL, s.fd_loop_, nullptr);
}

bool EventLoop::io_wake(int fd) {
    if (fd < 0) return false;
    const std::uint64_t one = 1;
    return ::write(fd, &one, sizeof one) == sizeof one;
}

bool EventLoop::io_poll(std::int64_t timeout_ms) {
    if (epfd_ < 0) return false;
    epoll_event events[256];
    int n = ::epoll_wait(epfd_, events, 256, static_cast<int>(timeout_ms < 0 ? -1 : std::min<std::int64_t>(timeout_ms, 1 << 30)));
    if (n < 0 && errno == EINTR) n = 0;
    for (int i = 0; i < n; ++i) {
        if (!events[i].data.ptr) {
            std::uint64_t count;
            while (::read(wakefd_, &count, sizeof count) == sizeof count) {
            }
            continue;
        }
        auto* s = static_cast<Stream*>(events[i].data.ptr);
        {
            std::lock_guard lock(s->mu_);
            s->io_ready_ = true;
        }
        io_ready_.push_back(s);
    }
    return true;
}

#else

std::size_t descriptor_limit() { return 0; }
std::uint64_t context_switches() { return 0; }
Stream::~Stream() = default;
int Stream::peer_fd() { return -1; }
void Stream::send_message(int, const std::string&) const {}
void Stream::reply_real(const std::string&) {}
bool Stream::open_real() { return false; }
bool Stream::send_real(const std::string&, bool) { return false; }
bool Stream::recv_real(std::string&) { return false; }
bool Stream::recv_blocking(std::string&) { return false; }
EventLoop::~EventLoop() = default;
void EventLoop::io_open() {}
void EventLoop::io_close() {}
void EventLoop::io_watch(Stream&) {}
void EventLoop::io_unwatch(Stream&) {}
bool EventLoop::io_wake(int) { return false; }
bool EventLoop::io_poll(std::int64_t) { return false; }

#endif

bool Stream::poll_ready() {
    const bool said = std::exchange(io_ready_, false);
    if (transport_ != Transport::Tcp) return said || !chunks_.empty() || closed_;
    // TCP: epoll's word means bytes, not a message: take them, and see if a whole line is in.
    if (said) fill();
    return !chunks_.empty() || closed_;
}

}  // namespace such::engine
