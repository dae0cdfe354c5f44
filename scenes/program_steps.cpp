// A user program's steps: the one place where each primitive a Lua task
// yields becomes the engine step a C++ scene would take, and the transaction
// bodies those steps run in. The rest of the run is scenes/program.cpp.
#include <algorithm>

#include "engine/atomic.hpp"
#include "engine/channel.hpp"
#include "engine/condvar.hpp"
#include "engine/event_loop.hpp"
#include "engine/future.hpp"
#include "engine/mutex.hpp"
#include "engine/semaphore.hpp"
#include "scenes/lua_run.hpp"

using such::engine::Ctx;
using such::engine::Panic;
namespace such::scenes {
namespace lua {

// [SECTION] Steps

namespace {
// A step that changes the object it names by running `effect` (a link, a
// monitor, trapping exits): the explorer sees it as a write to that object.
class EffectStep final : public engine::Step {
public:
    EffectStep(Ctx& ctx, engine::ObjectId object, std::function<void()> effect, std::string what)
        : Step(ctx, object), effect_(std::move(effect)), what_(std::move(what)) {}
    engine::StepResult run(engine::Scheduler& sched) override {
        effect_();
        sched.emit(engine::EventKind::Write, object_, 0, {.note = engine::Note::Mark, .label = sched.label(what_)});
        return engine::StepResult::Done;
    }
    engine::EventKind kind() const override { return engine::EventKind::Write; }
    void await_resume() const {}

private:
    std::function<void()> effect_;
    std::string what_;
};

// await(fn): enabled only while the condition over shared objects holds,
// as Promela's guards and the textbooks' `await`. It reads any object, so it
// conflicts with every step (Access::Many); a blocked await is woken by the
// step after which its condition holds.
class AwaitStep final : public engine::Step {
public:
    AwaitStep(Ctx& ctx, LuaRun& run, int fn) : Step(ctx, engine::kNone), run_(run), fn_(fn) {}
    engine::StepResult run(engine::Scheduler& sched) override {
        if (run_.holds(fn_)) {
            sched.emit(engine::EventKind::Read, engine::kNone, 1);  // a read of no one object: an await
            std::erase_if(run_.awaiting_, [&](const LuaRun::Awaiting& a) { return a.task == sched.current(); });
            return engine::StepResult::Done;
        }
        sched.emit(engine::EventKind::Read, engine::kNone, 0);
        if (std::none_of(run_.awaiting_.begin(), run_.awaiting_.end(), [&](const LuaRun::Awaiting& a) { return a.task == sched.current(); })) {
            run_.awaiting_.push_back({sched.current(), fn_});
        }
        return engine::StepResult::Blocked;
    }
    engine::EventKind kind() const override { return engine::EventKind::Read; }
    engine::Access access() const override { return engine::Access::Many; }
    void await_resume() const {}

private:
    LuaRun& run_;
    int fn_;
};

template <class T>
T& as(LuaRun::Slot& s) {
    return *static_cast<T*>(s.object);
}
}  // namespace

engine::Co<int> LuaRun::perform(Ctx& ctx, lua_State* T, Op op, int base, int n, engine::Tx* tx, std::vector<int>* deferred) {
    const auto int_arg = [&](int i) { return static_cast<std::int64_t>(lua_tointeger(T, base + 1 + i)); };
    const bool tx_op = op == Op::TxRead || op == Op::TxWrite || op == Op::Retry || op == Op::OrElse || op == Op::Defer;
    if (tx && !tx_op) {
        throw Panic("line " + std::to_string(ctx.line() + 1) +
                    ": inside atomically only tvars, retry, or_else and defer may be used (defer the rest)");
    }
    Slot* s = nullptr;
    if (n >= 2 && lua_isinteger(T, base + 1) && lua_tointeger(T, base + 1) >= 0) s = &slot(static_cast<int>(lua_tointeger(T, base + 1)));
    // What the step takes, copied before the stack is cleared.
    std::int64_t v1 = 0, a1 = 0, a2 = 0;
    if (op == Op::Write || op == Op::Send || op == Op::Set || op == Op::TxWrite || op == Op::ActorSend || op == Op::Resume || op == Op::Suspend) {
        v1 = encode(T, base + 2);
    }
    if (op == Op::Cas) {
        a1 = int_arg(1);
        a2 = int_arg(2);
    } else if (op == Op::Load || op == Op::Store || op == Op::Add || op == Op::Sleep || op == Op::After || op == Op::Receive ||
               op == Op::Wait || op == Op::PipeRead) {
        a1 = int_arg(1);
    }
    int ref1 = LUA_NOREF, ref2 = LUA_NOREF;
    if (op == Op::Then || op == Op::Atomically || op == Op::Defer || op == Op::OrElse || op == Op::Await) {
        lua_pushvalue(T, base + 2);
        ref1 = luaL_ref(T, LUA_REGISTRYINDEX);
    }
    if (op == Op::OrElse) {
        lua_pushvalue(T, base + 3);
        ref2 = luaL_ref(T, LUA_REGISTRYINDEX);
    }
    std::string text;
    if (op == Op::Print || op == Op::PipeWrite || op == Op::Exit || op == Op::StreamWrite) {
        std::size_t len = 0;
        const char* bytes = lua_tolstring(T, base + 2, &len);
        text.assign(bytes, len);
    }
    if (op == Op::ActorSend) {
        text = "msg";  // the message's tag: a string message, or a table's first string
        if (lua_type(T, base + 2) == LUA_TSTRING) text = lua_tostring(T, base + 2);
        else if (lua_istable(T, base + 2) && lua_rawgeti(T, base + 2, 1) == LUA_TSTRING) text = lua_tostring(T, -1);
    }
    std::vector<engine::SelectCase> cases;
    bool has_default = false;
    if (op == Op::Select) {
        // base+2: the cases {slot, send, value}..., base+3: whether there is a default.
        const int table = base + 2;
        const auto count = static_cast<lua_Integer>(lua_rawlen(T, table));
        for (lua_Integer i = 1; i <= count; ++i) {
            lua_rawgeti(T, table, i);
            lua_rawgeti(T, -1, 1);
            Slot& c = slot(static_cast<int>(lua_tointeger(T, -1)));
            lua_rawgeti(T, -2, 2);
            const bool send = lua_toboolean(T, -1);
            lua_rawgeti(T, -3, 3);
            const std::int64_t value = send ? encode(T, -1) : 0;
            lua_pop(T, 4);
            cases.push_back({static_cast<engine::ChannelCell*>(c.object), send, value});
        }
        has_default = lua_toboolean(T, base + 3);
    }
    int match_ref = LUA_NOREF;
    std::string match_tag;
    if (op == Op::Receive && n >= 4) {
        if (lua_type(T, base + 3) == LUA_TSTRING) match_tag = lua_tostring(T, base + 3);
        else if (lua_isfunction(T, base + 3)) {
            lua_pushvalue(T, base + 3);
            match_ref = luaL_ref(T, LUA_REGISTRYINDEX);
        }
    }
    lua_settop(T, base - 1);

    switch (op) {
    case Op::Yield: co_await engine::YieldStep(ctx); co_return 0;
    case Op::Sleep: co_await engine::SleepStep(ctx, static_cast<std::uint64_t>(std::max<std::int64_t>(0, a1))); co_return 0;
    case Op::Print: {
        if (!stdout_) {
            stdout_ = std::make_unique<Output>(output_);
            rt().add(*stdout_);
        }
        const std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
        // `text` lives in this frame until the step has run (g++ 12 mishandles
        // an init-capture inside a co_await expression).
        co_await EffectStep(ctx, stdout_->id(), [this, &text] { output_.push_back(text); }, "prints " + shown);
        co_return 0;
    }
    case Op::Read: push(T, co_await as<engine::SharedVar>(*s).read(ctx)); co_return 1;
    case Op::Write: co_await as<engine::SharedVar>(*s).write(ctx, v1); co_return 0;
    case Op::Load: lua_pushinteger(T, co_await as<engine::Atomic>(*s).load(ctx)); co_return 1;
    case Op::Store: co_await as<engine::Atomic>(*s).store(ctx, a1); co_return 0;
    case Op::Add: lua_pushinteger(T, co_await as<engine::Atomic>(*s).fetch_add(ctx, a1)); co_return 1;
    case Op::Cas: {
        const std::int64_t seen = co_await as<engine::Atomic>(*s).compare_exchange(ctx, a1, a2);
        lua_pushboolean(T, seen == a1);
        lua_pushinteger(T, seen);
        co_return 2;
    }
    case Op::Lock:
        // Misuses a program commits are its panics (the engine treats them as bugs).
        if (as<engine::Mutex>(*s).owner() == ctx.id()) throw Panic("locks " + s->object->name() + " twice (it already holds it)");
        co_await as<engine::Mutex>(*s).lock(ctx);
        co_return 0;
    case Op::Unlock:
        if (as<engine::Mutex>(*s).owner() != ctx.id()) throw Panic("unlocks " + s->object->name() + ", which it does not hold");
        co_await as<engine::Mutex>(*s).unlock(ctx);
        co_return 0;
    case Op::TryLock: lua_pushboolean(T, co_await as<engine::Mutex>(*s).try_lock(ctx)); co_return 1;
    case Op::Acquire: co_await as<engine::Semaphore>(*s).acquire(ctx); co_return 0;
    case Op::Release: co_await as<engine::Semaphore>(*s).release(ctx); co_return 0;
    case Op::Wait: {
        Slot& m = slot(static_cast<int>(a1));
        if (as<engine::Mutex>(m).owner() != ctx.id()) throw Panic("waits on " + s->object->name() + " without holding " + m.object->name());
        co_await as<engine::CondVar>(*s).wait(ctx, as<engine::Mutex>(m));
        co_return 0;
    }
    case Op::Signal: co_await as<engine::CondVar>(*s).notify_one(ctx); co_return 0;
    case Op::Broadcast: co_await as<engine::CondVar>(*s).notify_all(ctx); co_return 0;
    case Op::Send: co_await as<engine::ChannelCell>(*s).send_raw(ctx, v1); co_return 0;
    case Op::Recv: {
        const engine::Received got = co_await as<engine::ChannelCell>(*s).recv_raw(ctx);
        if (got.ok) push(T, got.value);
        else lua_pushnil(T);
        lua_pushboolean(T, got.ok);
        co_return 2;
    }
    case Op::Close: co_await as<engine::ChannelCell>(*s).close(ctx); co_return 0;
    case Op::Select: {
        const engine::Selected got = co_await engine::select(ctx, std::move(cases), has_default);
        lua_pushinteger(T, got.index + 1);  // 0: the default
        if (got.index >= 0 && got.ok) push(T, got.value);
        else lua_pushnil(T);
        lua_pushboolean(T, got.ok);
        co_return 3;
    }
    case Op::After: {
        owned_.push_back(std::make_unique<engine::Timer>("after " + std::to_string(a1)));
        auto& timer = static_cast<engine::Timer&>(*owned_.back());
        rt().add(timer);
        slots_.push_back({Kind::Timer, &timer});
        co_await timer.start(ctx, static_cast<std::uint64_t>(std::max<std::int64_t>(0, a1)));
        push_slot(T, static_cast<int>(slots_.size()) - 1);
        co_return 1;
    }
    case Op::Set: co_await as<engine::Promise>(*s).set(ctx, v1); co_return 0;
    case Op::Get: push(T, co_await as<engine::Promise>(*s).get(ctx)); co_return 1;
    case Op::Then: {
        push_new(T, Kind::Promise, 0, 0, nullptr);
        auto& target = as<engine::Promise>(slot(static_cast<Handle*>(lua_touserdata(T, -1))->slot));
        const int fn = ref1;
        co_await as<engine::Promise>(*s).then(ctx, "then", [this, fn](std::int64_t value) -> std::int64_t {
            lua_rawgeti(L_, LUA_REGISTRYINDEX, fn);
            lua_pushinteger(L_, value);
            std::string error;
            if (!host_call(1, 1, error, true)) {  // decodes its argument, encodes its result
                // The derived promise gets nil, and the run says why: an
                // error there is the program's bug, as a task's is.
                fail(current_task(), "a continuation failed: " + error, 0);
                check_failures_.push_back("a continuation failed: " + error);
                return values_.nil();
            }
            const std::int64_t out = lua_tointeger(L_, -1);
            lua_pop(L_, 1);
            return out;
        }, target);
        co_return 1;
    }
    case Op::Join: push(T, co_await s->done->get(ctx)); co_return 1;
    case Op::Resume: {
        const std::optional<std::int64_t> got = co_await as<engine::Fiber>(*s).resume(ctx, v1);
        if (got) push(T, *got);
        else lua_pushnil(T);
        lua_pushboolean(T, got.has_value());
        co_return 2;
    }
    case Op::Suspend: {
        engine::Fiber* f = fiber_of_.count(ctx.id()) ? fiber_of_[ctx.id()] : nullptr;
        if (!f) throw Panic("suspend can only be called inside a fiber's body (see fiber)");
        const std::optional<std::int64_t> got = co_await f->yield(ctx, v1);
        push(T, got ? *got : values_.nil());
        co_return 1;
    }
    case Op::PipeWrite: co_await as<engine::Pipe>(*s).write(ctx, std::move(text)); co_return 0;
    case Op::PipeRead: {
        const std::string got = co_await as<engine::Pipe>(*s).read(ctx, static_cast<std::size_t>(std::max<std::int64_t>(1, a1)));
        if (got.empty()) lua_pushnil(T);  // the end of the file
        else lua_pushlstring(T, got.data(), got.size());
        co_return 1;
    }
    case Op::PipeClose: co_await as<engine::Pipe>(*s).close(ctx); co_return 0;
    case Op::StreamWrite: co_await as<engine::Stream>(*s).write(ctx, std::move(text)); co_return 0;
    case Op::StreamClose: co_await as<engine::Stream>(*s).close(ctx); co_return 0;
    case Op::StreamRead: {  // a thread's blocking read (not the loop's)
        const std::string got = co_await as<engine::Stream>(*s).wait_read(ctx);
        if (got.empty()) lua_pushnil(T);
        else lua_pushlstring(T, got.data(), got.size());
        co_return 1;
    }
    case Op::Await:
        co_await AwaitStep(ctx, *this, ref1);
        luaL_unref(L_, LUA_REGISTRYINDEX, ref1);
        co_return 0;
    case Op::Atomically: {
        const int fn = ref1;
        std::vector<int> effects;
        const std::int64_t result = co_await engine::atomically(ctx, stm(), [this, &ctx, fn, &effects](engine::Tx& t) {
            for (const int e : effects) luaL_unref(L_, LUA_REGISTRYINDEX, e);
            effects.clear();  // an attempt that runs again defers anew
            return body(ctx, t, fn, &effects);
        });
        luaL_unref(L_, LUA_REGISTRYINDEX, fn);
        // The deferred effects run once, after the commit, as the task's own code.
        for (const int effect : effects) {
            lua_State* E = lua_newthread(L_);
            const int eref = luaL_ref(L_, LUA_REGISTRYINDEX);
            lua_rawgeti(L_, LUA_REGISTRYINDEX, effect);
            lua_xmove(L_, E, 1);
            luaL_unref(L_, LUA_REGISTRYINDEX, effect);
            co_await drive(ctx, E, 0, nullptr, nullptr);
            luaL_unref(L_, LUA_REGISTRYINDEX, eref);
        }
        push(T, result);
        co_return 1;
    }
    case Op::TxRead: push(T, co_await tx->read(as<LuaTVar>(*s))); co_return 1;
    case Op::TxWrite: co_await tx->write(as<LuaTVar>(*s), v1); co_return 0;
    case Op::Retry: tx->retry();
    case Op::OrElse: {
        const int f = ref1, g = ref2;
        const std::size_t kept = deferred->size();  // the first branch's defers go if it retries
        const std::int64_t result = co_await tx->or_else([this, &ctx, f, deferred](engine::Tx& t) { return body(ctx, t, f, deferred); },
                                                         [this, &ctx, g, deferred, kept](engine::Tx& t) {
                                                             while (deferred->size() > kept) {
                                                                 luaL_unref(L_, LUA_REGISTRYINDEX, deferred->back());
                                                                 deferred->pop_back();
                                                             }
                                                             return body(ctx, t, g, deferred);
                                                         });
        luaL_unref(L_, LUA_REGISTRYINDEX, f);
        luaL_unref(L_, LUA_REGISTRYINDEX, g);
        push(T, result);
        co_return 1;
    }
    case Op::Defer: deferred->push_back(ref1); co_return 0;
    case Op::ActorSend: co_await as<engine::Mailbox>(*s).send(ctx, text, v1); co_return 0;
    case Op::Receive: {
        engine::Match match;
        if (!match_tag.empty()) match = engine::tagged(match_tag);
        if (match_ref != LUA_NOREF) {
            match = [this, match_ref](const engine::Message& m) {
                lua_rawgeti(L_, LUA_REGISTRYINDEX, match_ref);
                push_message(L_, m);
                std::string error;
                if (!host_call(1, 1, error)) return false;  // push_message pushed a copy made under protection
                const bool yes = lua_toboolean(L_, -1);
                lua_pop(L_, 1);
                return yes;
            };
        }
        const std::optional<engine::Message> got = co_await as<engine::Mailbox>(*s).receive(ctx, match, static_cast<std::uint64_t>(std::max<std::int64_t>(0, a1)));
        if (match_ref != LUA_NOREF) luaL_unref(L_, LUA_REGISTRYINDEX, match_ref);
        if (got) push_message(T, *got);
        else lua_pushnil(T);
        co_return 1;
    }
    case Op::Link: case Op::Monitor: {
        const engine::TaskId me = ctx.id(), other = s->task;
        engine::Links& l = links();
        const bool link = op == Op::Link;
        auto* mine = static_cast<engine::Mailbox*>(slot(task_slot_[static_cast<std::size_t>(me)]).object);
        bool dead = false;
        co_await EffectStep(ctx, l.id(), [this, &l, me, other, link, mine, &dead] {
            if (sched().task(other).state != engine::TaskState::Done) {
                link ? l.link(me, other) : l.monitor(me, other);
                return;
            }
            // Linking to or monitoring a task that has ended: Erlang's noproc.
            if (link && !l.graph().trapping.count(me)) {
                dead = true;
                return;
            }
            mine->deliver(sched(), engine::Message{other, link ? "EXIT" : "DOWN", 0, "noproc"});
        }, std::string(link ? "links to " : "monitors ") + rt().task_name(other));
        if (dead) throw Panic("linked to " + rt().task_name(other) + ", which has already ended (noproc)");
        co_return 0;
    }
    case Op::Exit: {  // an exit signal: the actor dies at its next receive (or now, if it waits in one)
        auto& box = as<engine::Mailbox>(*s);
        co_await EffectStep(ctx, box.id(), [this, &box, &text] { box.kill(sched(), text); },
                            "sends an exit signal to " + box.name());
        co_return 0;
    }
    case Op::TrapExits: {
        engine::Links& l = links();
        const engine::TaskId me = ctx.id();
        co_await EffectStep(ctx, l.id(), [&l, me] { l.trap_exits(me); }, "traps exits");
        co_return 0;
    }
    }
    co_return 0;
}

// One attempt of a transaction body: the Lua function run in a thread of its
// own whose steps are the transaction's reads and writes.
engine::Co<std::int64_t> LuaRun::body(Ctx& ctx, engine::Tx& tx, int fn_ref, std::vector<int>* deferred) {
    lua_State* B = lua_newthread(L_);
    const int ref = luaL_ref(L_, LUA_REGISTRYINDEX);
    lua_rawgeti(L_, LUA_REGISTRYINDEX, fn_ref);
    lua_xmove(L_, B, 1);
    tx_threads_.push_back(B);
    struct Release {  // also when the attempt unwinds (abort, retry)
        LuaRun* run;
        lua_State* B;
        int ref;
        ~Release() {
            run->tx_threads_.erase(std::find(run->tx_threads_.begin(), run->tx_threads_.end(), B));
            luaL_unref(run->L_, LUA_REGISTRYINDEX, ref);
        }
    } release{this, B, ref};
    const int n = co_await drive(ctx, B, 0, &tx, deferred);
    co_return n > 0 ? encode(B, -n) : values_.nil();
}

}  // namespace lua
}  // namespace such::scenes
