-- title: select with a timeout: the answer, or give up after 3 ms
-- model: CSP channels
-- verdict: goes wrong: when the logger gets the disk first, the answer comes at 4 ms
-- finds: bad
local answer = channel(1)
local disk = mutex()

-- Whoever locks the disk first reads for 2 ms; the other waits its turn.
go("logger", function()
  disk:lock()
  sleep(2)                  -- the clock moves only while every task waits
  disk:unlock()
end)

go("worker", function()
  disk:lock()
  sleep(2)                  -- reads its input: done at 2 ms, or at 4 after the logger
  disk:unlock()
  answer:send(42)
end)

local got = select {
  case_recv(answer, function(v) return v end),
  case_timeout(3, function() return "timeout" end),
}
print(got)
assert(got == 42, "the answer came too late")
