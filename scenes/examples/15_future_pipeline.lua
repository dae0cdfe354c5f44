-- title: A future pipeline: ask now, wait only when you need the answer
-- model: futures & promises
-- verdict: nothing goes wrong: the chain always gives 42, whoever finishes first
-- finds: nothing
local function slow_double(x)
  sleep(5)              -- virtual time: pretend to work
  return x * 2
end

local a = future(slow_double, 10)          -- starts at once, returns a promise
local b = future(slow_double, 11)
local plus = a:next(function(v) return v + 0 end)   -- a continuation: runs when a is set
local answer = plus:get() + b:get()
print("answer " .. answer)
outcome(function() return answer end)
invariant(function() return answer == 42 end, "10*2 + 11*2 = 42")
