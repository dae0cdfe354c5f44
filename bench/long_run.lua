-- A program that never ends: two threads add to a shared counter forever
-- (a read step, then a write step). bench/run-all runs it for 1,000,000 and
-- 10,000,000 steps and reports the command line's peak memory: the trace
-- keeps only its latest events (engine::kKeptEvents).
local x = shared(0)

local function adder()
  while true do
    x.value = x.value + 1
  end
end

go(adder)
go(adder)
