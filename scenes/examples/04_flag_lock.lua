-- title: A broken lock: check a flag, then set it
-- model: threads & mutexes
-- verdict: goes wrong: both threads can see the flag down and enter together
-- finds: bad
-- The check and the set are two steps, so both threads can pass the check.
local busy = shared(false)
local inside = shared(0)

local function worker()
  await(function() return not busy.value end)   -- wait until the flag is down
  busy.value = true                              -- then raise it: too late
  inside.value = inside.value + 1
  assert(inside.value == 1, "two threads in the critical section")
  inside.value = inside.value - 1
  busy.value = false
end

go(worker)
go(worker)
