// The classic stateless-model-checking programs of bench/classic.hpp written
// as user programs (Lua), so the explorer can be compared on both: the same
// steps on the same objects, hence the same number of Mazurkiewicz traces.
// Used by bench/bench_programs.cpp and tests/scenes/test_programs.cpp.
#pragma once
#include <string>

namespace such::classic {

inline std::string lastzero_script(int n) {
    return "local N = " + std::to_string(n) + R"lua(
local array = {}
for i = 0, N do array[i] = shared(0, "array[" .. i .. "]") end
go("reader", function()
  for i = N, 0, -1 do
    if array[i].value == 0 then return end
  end
end)
for j = 1, N do
  go("writer" .. j, function() array[j].value = array[j - 1].value + 1 end)
end
)lua";
}

inline std::string indexer_script(int n) {
    return "local N = " + std::to_string(n) + R"lua(
local SIZE = 128
local slots = {}
for i = 0, SIZE - 1 do slots[i] = atomic(0, "table[" .. i .. "]") end
for t = 0, N - 1 do
  go("T" .. t, function()
    for m = 1, 4 do
      local w = m * 11 + t
      local h = (w * 7) % SIZE
      while not slots[h]:cas(0, w) do h = (h + 1) % SIZE end
    end
  end)
end
)lua";
}

inline std::string filesystem_script(int n) {
    return "local N = " + std::to_string(n) + R"lua(
local BLOCKS, INODES = 26, 32
local locki, inode, lockb, busy = {}, {}, {}, {}
for i = 0, INODES - 1 do locki[i] = mutex("locki[" .. i .. "]"); inode[i] = shared(0, "inode[" .. i .. "]") end
for b = 0, BLOCKS - 1 do lockb[b] = mutex("lockb[" .. b .. "]"); busy[b] = shared(0, "busy[" .. b .. "]") end
for t = 0, N - 1 do
  go("T" .. t, function()
    local i = t % INODES
    locki[i]:lock()
    if inode[i].value == 0 then
      local b = (i * 2) % BLOCKS
      while true do
        lockb[b]:lock()
        if busy[b].value == 0 then
          busy[b].value = 1
          inode[i].value = b + 1
          lockb[b]:unlock()
          break
        end
        lockb[b]:unlock()
        b = (b + 1) % BLOCKS
      end
    end
    locki[i]:unlock()
  end)
end
)lua";
}

}  // namespace such::classic
