#include "ui/workers.hpp"

#include <atomic>

namespace such::ui {
namespace {
std::atomic<bool (*)(int)> g_ready{nullptr};
}

bool workers_ready(int n) {
    bool (*ready)(int) = g_ready.load();
    return ready == nullptr || ready(n);
}

void set_workers_ready(bool (*ready)(int n)) { g_ready.store(ready); }

}  // namespace such::ui
