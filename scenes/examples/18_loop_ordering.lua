-- title: Event loop ordering: timeouts, immediates, next ticks and promise jobs
-- model: event loops
-- verdict: nothing goes wrong: one loop, one order, every schedule
-- finds: nothing
-- Like node: after the script (and after every callback) the next ticks run,
-- then the promise jobs; a 0 ms timeout waits for the timers phase.
event_loop(function()
  print("script")
  set_timeout(function() print("timeout") end, 0)
  set_immediate(function() print("immediate") end)
  queue_microtask(function() print("promise job") end)
  next_tick(function() print("next tick") end)
end)
