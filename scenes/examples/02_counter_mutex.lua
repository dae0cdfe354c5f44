-- title: Counter with a mutex: the read and the write in one critical section
-- model: threads & mutexes
-- verdict: nothing goes wrong: every schedule ends with x = 2
-- finds: nothing
local x = shared(0)
local m = mutex()

local function worker()
  m:lock()
  local tmp = x.value
  x.value = tmp + 1
  m:unlock()
end

go(worker)
go(worker)

invariant(function() return x.value == 2 end, "both increments count")
