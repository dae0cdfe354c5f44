-- title: Bounded buffer with `if`: a woken consumer does not check again
-- model: threads & mutexes
-- verdict: goes wrong: a consumer can take from an empty buffer
-- finds: bad
local items = shared(0)          -- how many items the buffer holds (capacity 1)
local m = mutex()
local not_empty, not_full = condvar(), condvar()

local function producer()
  for _ = 1, 2 do
    m:lock()
    if items.value == 1 then not_full:wait(m) end
    items.value = items.value + 1
    not_empty:signal()
    m:unlock()
  end
end

local function consumer()
  m:lock()
  if items.value == 0 then not_empty:wait(m) end   -- the bug: `if`, not `while`
  assert(items.value > 0, "took from an empty buffer")
  items.value = items.value - 1
  not_full:signal()
  m:unlock()
end

go("producer", producer)
go("C1", consumer)
go("C2", consumer)
