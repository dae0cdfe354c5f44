-- title: Dining philosophers: each takes the left fork, then the right
-- model: threads & mutexes
-- verdict: goes wrong: all three can hold their left fork and wait forever
-- finds: bad
local n = 3
local forks = {}
for i = 1, n do forks[i] = mutex("fork" .. i) end

local function philosopher(i)
  local left, right = forks[i], forks[i % n + 1]
  left:lock()
  right:lock()     -- deadlock: everyone holds a left fork
  print("philosopher " .. i .. " eats")
  right:unlock()
  left:unlock()
end

for i = 1, n do go("P" .. i, philosopher, i) end
