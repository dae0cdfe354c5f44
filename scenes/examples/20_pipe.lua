-- title: Two processes and a pipe: date | xargs echo "The date is:"
-- model: processes & IPC
-- verdict: nothing goes wrong: the reader waits for bytes and stops at the end of the file
-- finds: nothing
-- Processes share nothing; the bytes cross the pipe as a copy.
local p = pipe(8)             -- room for 8 bytes: the writer waits when it is full

process("date", function()
  p:write("Thu Dec 3 2026")
  p:close()
end)

process("xargs", function()
  local text = ""
  while true do
    local chunk = p:read()
    if chunk == nil then break end      -- end of file
    text = text .. chunk
  end
  print("The date is: " .. text)
end)
