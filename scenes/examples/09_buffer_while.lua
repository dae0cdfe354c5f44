-- title: Bounded buffer with `while`: a woken thread checks again
-- model: threads & mutexes
-- verdict: nothing goes wrong: every consumer re-checks the buffer after waking
-- finds: nothing
local items = shared(0)          -- how many items the buffer holds (capacity 1)
local m = mutex()
local not_empty, not_full = condvar(), condvar()

local function producer()
  for _ = 1, 2 do
    m:lock()
    while items.value == 1 do not_full:wait(m) end
    items.value = items.value + 1
    not_empty:signal()
    m:unlock()
  end
end

local function consumer()
  m:lock()
  while items.value == 0 do not_empty:wait(m) end   -- check again after waking
  assert(items.value > 0, "took from an empty buffer")
  items.value = items.value - 1
  not_full:signal()
  m:unlock()
end

go("producer", producer)
go("C1", consumer)
go("C2", consumer)
