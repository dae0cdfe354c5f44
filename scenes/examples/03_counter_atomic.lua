-- title: Counter with an atomic add: one indivisible step
-- model: threads & mutexes
-- verdict: nothing goes wrong: fetch-and-add never loses an update
-- finds: nothing
local x = atomic(0)

local function worker()
  x:add(1)        -- read, add and write as one step
end

go(worker)
go(worker)
go(worker)

invariant(function() return x:load() == 3 end, "all three increments count")
