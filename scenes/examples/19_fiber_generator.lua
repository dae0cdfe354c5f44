-- title: A fiber as a generator: Fibonacci numbers handed over one at a time
-- model: coroutines
-- verdict: nothing goes wrong: resume and suspend hand control back and forth, one side at a time
-- finds: nothing
local fib = fiber("fibonacci", function()
  local a, b = 0, 1
  for _ = 1, 6 do
    suspend(a)                -- hand a out, wait for the next resume
    a, b = b, a + b
  end
end)

local got = {}
while true do
  local v, alive = fib:resume()
  if not alive then break end
  got[#got + 1] = v
end
print(table.concat(got, " "))
invariant(function() return table.concat(got, ",") == "0,1,1,2,3,5" end, "the first six Fibonacci numbers")
