-- title: Bank transfers with a lock per account, taken in the order named
-- model: threads & mutexes
-- verdict: goes wrong: two opposite transfers can each hold one lock and wait for the other
-- finds: bad
local balance = {shared(100, "alice"), shared(100, "bob")}
local lock = {mutex("alice lock"), mutex("bob lock")}

local function transfer(from, to, amount)
  lock[from]:lock()
  lock[to]:lock()              -- the other transfer may hold this one
  balance[from].value = balance[from].value - amount
  balance[to].value = balance[to].value + amount
  lock[to]:unlock()
  lock[from]:unlock()
end

go("T1", transfer, 1, 2, 30)
go("T2", transfer, 2, 1, 50)
