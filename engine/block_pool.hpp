// Blocks recycled on each thread, for what the engine makes and frees by
// the thousand: coroutine frames (a task's, a Co's) and a run's own objects.
// malloc and free cost more than a simulated step's own work, and a native
// thread's transaction makes two or three frames an attempt.
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>

namespace such::engine {

// What tasks on real threads write at every step (a task's Ctx and coroutine
// frame, an object's value or lock) starts a cache line of its own and fills
// it, so that one thread's writes never take away a line another thread is
// reading (false sharing): 64 bytes, as on x86-64 and most ARM cores.
inline constexpr std::size_t kCacheLine = 64;

// A block that starts on a cache line without an aligned new (glibc's
// memalign splits a block, which cost a short run's build more than a step):
// a plain block a line longer, rounded to whole lines; the byte before the
// object says how far into the block it starts. For coroutine frames, and
// for what holds objects aligned to kCacheLine (a scene's run).
inline void* new_on_line(std::size_t size) {
    const std::size_t lines = (size + kCacheLine - 1) / kCacheLine * kCacheLine;
    auto* block = static_cast<unsigned char*>(::operator new(lines + kCacheLine));
    unsigned char* object = block + kCacheLine - reinterpret_cast<std::uintptr_t>(block) % kCacheLine;
    object[-1] = static_cast<unsigned char>(object - block);
    return object;
}
inline void delete_on_line(void* object) {
    auto* o = static_cast<unsigned char*>(object);
    ::operator delete(o - o[-1]);
}

namespace detail {

// Blocks in size classes of 64 bytes up to 1 KiB, at most eight free ones
// kept per class (some tens of KiB a thread at most; larger blocks go
// straight to the heap). OnLine: each block starts a cache line
// (new_on_line), for task frames; otherwise plain blocks. A block freed on
// another thread than the one that made it (a green task that moved to
// another worker) joins the freeing thread's lists. After the thread's
// thread_local objects are destroyed (a block freed by one of them, or by a
// static object at exit) blocks go straight back to the heap.
template <bool OnLine>
class BlockPool {
public:
    static void* take(std::size_t size) {
        const std::size_t c = size_class(size);
        if (c < kClasses) {
            Lists& l = lists();
            if (Block* b = l.head[c]) {
                l.head[c] = b->next;
                --l.count[c];
                return b;
            }
            return fresh((c + 1) * kGrain);
        }
        return fresh(size);
    }
    static void give(void* block, std::size_t size) {
        const std::size_t c = size_class(size);
        if (c < kClasses) {
            Lists& l = lists();
            if (l.count[c] < kKeep && !l.closed) {
                if (!l.reaper) register_reaper(l);
                auto* b = static_cast<Block*>(block);
                b->next = l.head[c];
                l.head[c] = b;
                ++l.count[c];
                return;
            }
        }
        release(block);
    }

private:
    static constexpr std::size_t kGrain = 64, kClasses = 16, kKeep = 8;
    static std::size_t size_class(std::size_t size) { return size == 0 ? 0 : (size - 1) / kGrain; }
    static void* fresh(std::size_t size) { return OnLine ? new_on_line(size) : ::operator new(size); }
    static void release(void* block) {
        if constexpr (OnLine) {
            delete_on_line(block);
        } else {
            ::operator delete(block);
        }
    }
    struct Block {
        Block* next;
    };
    // Trivially destructible, so its storage stays usable to the thread's
    // very end; the reaper (a thread_local with a destructor, made when the
    // first block is kept) frees the blocks and closes the lists.
    struct Lists {
        Block* head[kClasses];
        unsigned char count[kClasses];
        bool reaper, closed;
    };
    struct Reaper {
        Lists* lists;
        ~Reaper() {
            lists->closed = true;
            for (std::size_t c = 0; c < kClasses; ++c) {
                while (Block* b = lists->head[c]) {
                    lists->head[c] = b->next;
                    release(b);
                }
                lists->count[c] = 0;
            }
        }
    };
    static Lists& lists() {
        thread_local Lists l{};
        return l;
    }
    static void register_reaper(Lists& l) {
        thread_local Reaper r{&l};
        (void)r;
        l.reaper = true;
    }
};

using FramePool = BlockPool<false>;  // a Co's frames
using LinePool = BlockPool<true>;    // a task's frames, each on lines of its own

// An allocator from FramePool, for the small containers every run fills
// (a task's locals, the scheduler's lists of tasks): a vector of it that
// grows past 1 KiB simply goes to the heap.
template <class T>
struct PoolAllocator {
    using value_type = T;
    PoolAllocator() = default;
    template <class U>
    PoolAllocator(const PoolAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(FramePool::take(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { FramePool::give(p, n * sizeof(T)); }
    template <class U>
    bool operator==(const PoolAllocator<U>&) const noexcept { return true; }
};

}  // namespace detail
}  // namespace such::engine
