// The threaded WebAssembly build's operator new and delete: a few freed
// blocks of each size kept by each thread in front of malloc.
//
// Emscripten's malloc (dlmalloc) takes a pthread mutex in every call once
// threads are on, and the threaded build pays that lock on every string, list
// and event a run makes: a CPU profile of bench_scheduler_wasm put a fifth of
// a simulated step in pthread_mutex_lock and unlock. glibc keeps such a
// per-thread cache of its own (tcache), so the native build needs none and
// the single-threaded build has no lock to avoid. CMakeLists.txt links this
// file into the threaded variant only.
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

// A block is a header of 16 bytes (malloc's alignment, kept for the object
// after it) whose first byte names the block's size class, then the object.
constexpr std::size_t kHeader = 16;
constexpr std::size_t kGrain = 16, kClasses = 32;  // classes of 16 bytes, up to 512
constexpr unsigned char kLarge = 0xff;             // not kept: straight back to malloc
constexpr std::size_t kKeepBytes = 4096;           // kept per class and thread, at most

struct Free {
    Free* next;
};

// Trivially destructible, so that blocks freed by other thread_local objects'
// destructors still find it; the reaper (made with the first block kept)
// frees the blocks at the thread's end and closes the lists.
struct Lists {
    Free* head[kClasses];
    unsigned short count[kClasses];
    bool reaper, closed;
};
thread_local Lists lists{};

struct Reaper {
    ~Reaper() {
        lists.closed = true;
        for (std::size_t c = 0; c < kClasses; ++c) {
            while (Free* f = lists.head[c]) {
                lists.head[c] = f->next;
                std::free(f);
            }
            lists.count[c] = 0;
        }
    }
};

constexpr std::size_t block_size(std::size_t c) { return (c + 1) * kGrain + kHeader; }
constexpr std::size_t keep(std::size_t c) { return block_size(c) * 4 > kKeepBytes ? 4 : kKeepBytes / block_size(c); }

void* take(std::size_t size) noexcept {
    const std::size_t c = size == 0 ? 0 : (size - 1) / kGrain;
    unsigned char* block = nullptr;
    if (c < kClasses) {
        if (Free* f = lists.head[c]) {
            lists.head[c] = f->next;
            --lists.count[c];
            block = reinterpret_cast<unsigned char*>(f);
        } else {
            block = static_cast<unsigned char*>(std::malloc(block_size(c)));
        }
    } else if (size <= static_cast<std::size_t>(-1) - kHeader) {
        block = static_cast<unsigned char*>(std::malloc(size + kHeader));
    }
    if (block == nullptr) return nullptr;
    block[0] = c < kClasses ? static_cast<unsigned char>(c) : kLarge;
    return block + kHeader;
}

void give(void* object) noexcept {
    if (object == nullptr) return;
    unsigned char* block = static_cast<unsigned char*>(object) - kHeader;
    const unsigned char c = block[0];
    if (c != kLarge && !lists.closed && lists.count[c] < keep(c)) {
        if (!lists.reaper) {
            thread_local Reaper reaper;
            (void)reaper;
            lists.reaper = true;
        }
        auto* f = reinterpret_cast<Free*>(block);
        f->next = lists.head[c];
        lists.head[c] = f;
        ++lists.count[c];
        return;
    }
    std::free(block);
}

void* take_or_throw(std::size_t size) {
    if (void* object = take(size)) return object;
    throw std::bad_alloc();
}

}  // namespace

// Not inlined (the link's LTO would put the cache's code at each of the
// thousands of places that allocate: 770 KB more WebAssembly).
#define SUCH_CALLED __attribute__((noinline))
SUCH_CALLED void* operator new(std::size_t size) { return take_or_throw(size); }
SUCH_CALLED void* operator new[](std::size_t size) { return take_or_throw(size); }
SUCH_CALLED void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return take(size); }
SUCH_CALLED void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return take(size); }
SUCH_CALLED void operator delete(void* object) noexcept { give(object); }
SUCH_CALLED void operator delete[](void* object) noexcept { give(object); }
SUCH_CALLED void operator delete(void* object, std::size_t) noexcept { give(object); }
SUCH_CALLED void operator delete[](void* object, std::size_t) noexcept { give(object); }
SUCH_CALLED void operator delete(void* object, const std::nothrow_t&) noexcept { give(object); }
SUCH_CALLED void operator delete[](void* object, const std::nothrow_t&) noexcept { give(object); }
