-- title: select with a timeout: the answer, or give up after 3 ms
-- model: CSP channels
-- verdict: goes wrong: a slow worker can lose to the timeout
-- finds: bad
local answer = channel(1)

local function worker()
  for _ = 1, 4 do yield() end     -- some work: four steps
  answer:send(42)
end

go("worker", worker)
local got = select {
  case_recv(answer, function(v) return v end),
  case_timeout(3, function() return "timeout" end),
}
print(got)
assert(got == 42, "the answer came too late")
