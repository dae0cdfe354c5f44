-- title: Dining philosophers, fixed: take the lower-numbered fork first
-- model: threads & mutexes
-- verdict: nothing goes wrong: a global order of locks leaves no cycle to wait in
-- finds: nothing
local n = 3
local forks = {}
for i = 1, n do forks[i] = mutex("fork" .. i) end
local meals = atomic(0)

local function philosopher(i)
  local a, b = i, i % n + 1
  if a > b then a, b = b, a end
  forks[a]:lock()
  forks[b]:lock()
  meals:add(1)
  forks[b]:unlock()
  forks[a]:unlock()
end

for i = 1, n do go("P" .. i, philosopher, i) end
invariant(function() return meals:load() == n end, "everyone ate")
