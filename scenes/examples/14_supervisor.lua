-- title: Let it crash: a supervisor restarts a worker that fails
-- model: actors
-- verdict: nothing goes wrong: every job is done, by a fresh worker after each crash
-- finds: nothing
-- The supervisor traps exits, so a linked worker's crash arrives as a message.
local done = atomic(0)

local function worker(boss)
  while true do
    local job = receive()
    if job[1] == "stop" then return end
    if job[2] == 2 then error("job " .. job[2] .. " is cursed") end  -- a crash
    done:add(1)
    send(boss, {"done", job[2]})
  end
end

local function supervisor(jobs)
  trap_exits()
  local restarts = 0
  local w = spawn("worker", worker, self())
  link(w)
  local i = 1
  while i <= jobs do
    send(w, {"job", i})
    local reply = receive()
    if reply[1] == "EXIT" then
      restarts = restarts + 1
      assert(restarts <= 2, "too many restarts (intensity: 2)")
      w = spawn("worker" .. restarts + 1, worker, self())     -- a new actor, a new address
      link(w)
    end
    i = i + 1
  end
  send(w, {"stop"})
end

spawn("supervisor", supervisor, 3)
invariant(function() return done:load() == 2 end, "every job but the cursed one is done")
