// A seeded random source that gives the same numbers on every platform
// (the standard distributions differ between libstdc++ and libc++).
#pragma once
#include <cstdint>

namespace such::engine {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    // splitmix64: tiny, fast, and fully specified.
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // A number in [0, n); n must be positive. The same number as next() % n
    // always; a power of two (two tasks ready, the common pick) is masked
    // rather than divided, a 64-bit division being most of a pick's time.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t x = next();
        return (n & (n - 1)) == 0 ? x & (n - 1) : x % n;
    }

private:
    std::uint64_t state_;
};

}  // namespace such::engine
