-- title: Actor ping-pong: two actors share nothing and only send messages
-- model: actors
-- verdict: nothing goes wrong: the ball comes back three times, in order
-- finds: nothing
local function pong()
  while true do
    local msg = receive()
    if msg[1] == "stop" then return end
    send(msg[2], {"pong", msg[3]})       -- reply to the sender
  end
end

local function ping(partner)
  for n = 1, 3 do
    send(partner, {"ping", self(), n})
    local reply = receive("pong")
    assert(reply[2] == n, "the replies come back in order")
    print("pong " .. reply[2])
  end
  send(partner, {"stop"})
end

local p = spawn("pong", pong)
spawn("ping", ping, p)
