// Bank accounts as transactional functions, shared by the STM scenes and the
// benchmark: each is a piece of a transaction, and any number of them compose
// into one atomic transaction (the talk's "composability").
#pragma once
#include "engine/stm.hpp"

namespace such::scenes {

using Account = engine::TVar<long>;

// Adds `amount` to `account`; its steps are shown on listing line `line`.
inline engine::Co<void> deposit(engine::Tx& tx, Account& account, long amount, int line) {
    const long balance = co_await tx.at(line).read(account);
    co_await tx.at(line).write(account, balance + amount);
}

// Takes `amount` out of `account`; when the balance is short, retries: the
// transaction sleeps until the balance changes, then runs again.
inline engine::Co<void> withdraw(engine::Tx& tx, Account& account, long amount, int line) {
    const long balance = co_await tx.at(line).read(account);
    if (balance < amount) tx.retry();
    co_await tx.at(line).write(account, balance - amount);
}

// The talk's transaction `n = read(counter); write(counter, n + 1)`, on
// listing lines 1 and 2 (line 3 closes the block).
inline engine::Co<void> increment(engine::Tx& tx, engine::TVar<long>& counter) {
    const long n = co_await tx.at(1).read(counter);
    co_await tx.at(2).write(counter, n + 1);
    tx.at(3);
}

// withdraw then deposit, as one transaction.
inline engine::Co<void> transfer(engine::Tx& tx, Account& from, Account& to, long amount, int line) {
    co_await withdraw(tx, from, amount, line);
    co_await deposit(tx, to, amount, line + 1);
}

}  // namespace such::scenes
