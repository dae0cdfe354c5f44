-- title: Go's prime sieve: a chain of goroutines joined by channels
-- model: CSP channels
-- verdict: nothing goes wrong: main always prints 2, 3, 5
-- finds: nothing
-- Each filter passes on the numbers its prime does not divide.
local function generate(out)
  for i = 2, 5 do out:send(i) end
  out:close()
end

local function filter(input, out, prime)
  for i in input:range() do
    if i % prime ~= 0 then out:send(i) end
  end
  out:close()
end

local ch = channel()
go("gen", generate, ch)
local primes = {}
for _ = 1, 3 do
  local prime = ch:recv()
  primes[#primes + 1] = prime
  print(prime)
  local next_ch = channel()
  go("filter" .. prime, filter, ch, next_ch, prime)
  ch = next_ch
end
for _ in ch:range() do end    -- drain the rest, so that every filter can finish
outcome(function() return table.concat(primes, ", ") end)
invariant(function() return table.concat(primes, ",") == "2,3,5" end, "the first three primes")
