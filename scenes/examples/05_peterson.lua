-- title: Peterson's algorithm: mutual exclusion with two flags and a turn
-- model: threads & mutexes
-- verdict: nothing goes wrong: never two threads in the critical section
-- finds: nothing
-- The textbook's `await` is await(): the thread waits until the condition holds.
local wants = {shared(false), shared(false)}
local turn = shared(1)
local inside = shared(0)

local function worker(me)
  local other = 3 - me
  wants[me].value = true        -- I want to enter
  turn.value = other            -- but you go first if you want to
  await(function() return not wants[other].value or turn.value == me end)
  inside.value = inside.value + 1
  assert(inside.value == 1, "two threads in the critical section")
  inside.value = inside.value - 1
  wants[me].value = false       -- leave
end

go("P1", worker, 1)
go("P2", worker, 2)
