-- title: Counter race: x = x + 1 in two threads
-- model: threads & mutexes
-- verdict: goes wrong: x can end at 1, one increment lost
-- finds: bad
-- Each .value is one step: a read, then (after
-- any other thread's steps) a write.
local x = shared(0)

local function worker()
  local tmp = x.value   -- read
  x.value = tmp + 1     -- write
end

go(worker)
go(worker)

invariant(function() return x.value == 2 end,
          "both increments count")
