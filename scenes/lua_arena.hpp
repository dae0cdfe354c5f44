// The memory of one run's Lua state: small blocks carved from chunks of its
// own, with a free list per size, so that making a fresh state for every
// explored execution (thousands of small objects) and closing it stay cheap.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

namespace such::scenes::lua {

class Arena {
public:
    Arena() = default;
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;
    ~Arena() {
        for (void* c : chunks_) std::free(c);
    }

    // Lua's allocator contract (lua_Alloc): `old` is the block's size, 0 for
    // a new one; size 0 frees; null when memory runs out, never on shrinking.
    void* resize(void* p, std::size_t old, std::size_t size) {
        if (size == 0) {
            if (p) give(p, old);
            return nullptr;
        }
        if (!p) return take(size);
        if (old > kLargest && size > kLargest) return std::realloc(p, size);
        if (old <= kLargest && size_class(size) <= size_class(old)) return p;  // it fits (freed later as its new size)
        void* q = take(size);
        if (!q) return size <= old ? p : nullptr;
        std::memcpy(q, p, old < size ? old : size);
        give(p, old);
        return q;
    }

private:
    static constexpr std::size_t kGranule = 16;  // Lua's alignment, and malloc's
    static constexpr std::size_t kLargest = 512;
    static constexpr std::size_t kChunk = std::size_t{32} << 10;
    struct Free {
        Free* next;
    };
    static std::size_t size_class(std::size_t size) { return (size + kGranule - 1) / kGranule; }

    void* take(std::size_t size) {
        if (size > kLargest) return std::malloc(size);
        const std::size_t c = size_class(size);
        if (Free* f = free_[c]) {
            free_[c] = f->next;
            return f;
        }
        const std::size_t bytes = c * kGranule;
        if (static_cast<std::size_t>(end_ - next_) < bytes) {
            void* chunk = std::malloc(kChunk);
            if (!chunk) return nullptr;
            chunks_.push_back(chunk);
            next_ = static_cast<char*>(chunk);
            end_ = next_ + kChunk;
        }
        void* p = next_;
        next_ += bytes;
        return p;
    }
    void give(void* p, std::size_t size) {
        if (size > kLargest) {
            std::free(p);
            return;
        }
        const std::size_t c = size_class(size);
        free_[c] = new (p) Free{free_[c]};
    }

    Free* free_[kLargest / kGranule + 1] = {};
    char* next_ = nullptr;
    char* end_ = nullptr;
    std::vector<void*> chunks_;
};

}  // namespace such::scenes::lua
