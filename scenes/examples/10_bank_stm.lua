-- title: Bank transfers as transactions: no lock, no lost money, no deadlock
-- model: transactional memory
-- verdict: nothing goes wrong: the total is always 300, whatever the order
-- finds: nothing
local accounts = {tvar(100, "alice"), tvar(100, "bob"), tvar(100, "carol")}

local function transfer(from, to, amount)
  atomically(function()
    local a = accounts[from].value
    if a < amount then retry() end       -- sleep until the balance changes
    accounts[from].value = a - amount
    accounts[to].value = accounts[to].value + amount
  end)
end

go("T1", transfer, 1, 2, 30)
go("T2", transfer, 2, 1, 50)

invariant(function()
  return accounts[1].value + accounts[2].value + accounts[3].value == 300
end, "money is conserved")
