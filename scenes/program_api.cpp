// The functions a user program calls: constructors of the engine's objects,
// their methods, tasks and actors, checks, and print. A call that is a step
// yields (op, object, arguments) to the driver in scenes/program.cpp; the rest
// happen at once. The reference is scenes/PROGRAMS.md.
//
// Index
//   [SECTION] Objects      - userdata, names, metatables
//   [SECTION] Requests     - yielding a step to the driver
//   [SECTION] Constructors - shared, atomic, mutex, channel, tvar...
//   [SECTION] Methods      - one function per method
//   [SECTION] Tasks        - go, spawn, future, actors, checks, print
//   [SECTION] Registration
#include <cstring>

#include "engine/atomic.hpp"
#include "engine/channel.hpp"
#include "engine/condvar.hpp"
#include "engine/future.hpp"
#include "engine/mutex.hpp"
#include "engine/event_loop.hpp"
#include "engine/process.hpp"
#include "engine/semaphore.hpp"
#include "scenes/lua_run.hpp"

namespace such::scenes::lua {
namespace {

// [SECTION] Objects

constexpr const char* kMeta[] = {"shared", "atomic", "mutex", "semaphore", "condvar", "channel", "channel",
                                 "promise", "tvar", "task", "actor", "fiber", "pipe", "event loop", "stream"};
const char* meta_name(Kind kind) { return kMeta[static_cast<int>(kind)]; }
constexpr const char* kSlots = "such.slots";
constexpr int kMaxTasks = 10000;     // the views, the trace and the explorer stay usable below these
constexpr int kMaxObjects = 100000;  // registry: slot -> its userdata (one per object)
void push_metatable(lua_State* L, Kind kind);

}  // namespace

engine::Snapshot LuaVar::snapshot() const {
    engine::Snapshot s = SharedVar::snapshot();
    s.value = values_.text(value());
    return s;
}

engine::Snapshot LuaTVar::snapshot() const {
    engine::Snapshot s = TVar::snapshot();
    s.value = values_.text(raw());
    return s;
}

void LuaRun::push_slot(lua_State* L, int index) {
    lua_getfield(L, LUA_REGISTRYINDEX, kSlots);
    if (lua_rawgeti(L, -1, index) == LUA_TNIL) {
        lua_pop(L, 1);
        auto* h = static_cast<Handle*>(lua_newuserdatauv(L, sizeof(Handle), 0));
        h->slot = index;
        push_metatable(L, slot(index).kind);
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, index);
    }
    lua_remove(L, -2);
}

void LuaRun::push_new(lua_State* L, Kind kind, std::int64_t initial, int extra, const char* name) {
    static constexpr const char* kPrefix[] = {"shared", "atomic", "mutex", "sem", "cond", "chan", "timer", "promise", "tvar", "T", "A", "fiber", "pipe", "loop", "socket"};
    const int k = static_cast<int>(kind);
    if (slots_.size() >= static_cast<std::size_t>(kMaxObjects)) luaL_error(L, "a program may make %d objects at most", kMaxObjects);
    const std::string n = name ? std::string(name) : std::string(kPrefix[k]) + std::to_string(++counter_[k]);
    std::unique_ptr<engine::Object> o;
    switch (kind) {
    case Kind::Shared: o = std::make_unique<LuaVar>(n, initial, values_); break;
    case Kind::Atomic: o = std::make_unique<engine::Atomic>(n, initial); break;
    case Kind::Mutex: o = std::make_unique<engine::Mutex>(n); break;
    case Kind::Semaphore: o = std::make_unique<engine::Semaphore>(n, extra); break;
    case Kind::CondVar: o = std::make_unique<engine::CondVar>(n); break;
    case Kind::Channel: o = std::make_unique<engine::Channel<std::int64_t>>(n, extra); break;
    case Kind::Promise: o = std::make_unique<engine::Promise>(n, extra == 1); break;
    case Kind::TVar: stm(); o = std::make_unique<LuaTVar>(n, initial, values_); break;
    case Kind::Pipe: o = std::make_unique<engine::Pipe>(n, static_cast<std::size_t>(extra)); break;
    case Kind::Stream: o = std::make_unique<engine::Stream>(n); break;
    default: throw std::logic_error("push_new: not an object kind");
    }
    rt().add(*o);
    slots_.push_back({kind, o.get()});
    owned_.push_back(std::move(o));
    const int index = static_cast<int>(slots_.size()) - 1;
    if (!name) unnamed_.push_back(index);
    push_slot(L, index);
}

LuaRun::Slot& LuaRun::check(lua_State* L, int index, Kind kind, const char* what) {
    auto* h = static_cast<Handle*>(luaL_testudata(L, index, meta_name(kind)));
    if (!h && kind == Kind::Channel) h = static_cast<Handle*>(luaL_testudata(L, index, meta_name(Kind::Timer)));
    if (!h && kind == Kind::Task) h = static_cast<Handle*>(luaL_testudata(L, index, meta_name(Kind::Actor)));
    if (!h) {
        {
            const std::string got = display(L, index, 1);
            luaL_where(L, 1);
            lua_Debug ar;
            const bool named = lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name;
            if (index == 1 && lua_gettop(L) == 1 && named) {  // called with nothing at all (luaL_where pushed one): x.lock() for x:lock()
                lua_pushfstring(L, "%s needs a %s, got nothing: a method is called with a colon, x:%s(...)", what, meta_name(kind), ar.name);
            } else {
                lua_pushfstring(L, "%s needs a %s, got %s", what, meta_name(kind), got.c_str());
            }
            lua_concat(L, 2);
        }
        lua_error(L);  // no C++ object is alive here: Lua errors are longjmps
        __builtin_unreachable();
    }
    return slot(h->slot);
}

void LuaRun::add_check(lua_State* L, int index, std::string message, bool outcome_fn) {
    lua_pushvalue(L, index);
    checks_.push_back({luaL_ref(L, LUA_REGISTRYINDEX), std::move(message), outcome_fn});
}

namespace {

// Every function of the program's vocabulary starts here. Once the run is
// being destroyed, a finalizer (__gc) that calls one gets an error, which Lua
// reports as a warning and ignores, instead of reaching a runtime that is gone.
LuaRun& run_of(lua_State* L) {
    LuaRun& run = LuaRun::of(L);
    if (run.ended()) luaL_error(L, "the program has ended: a finalizer (__gc) cannot use its functions");
    return run;
}
int slot_index(lua_State* L, int index) { return static_cast<Handle*>(lua_touserdata(L, index))->slot; }

// [SECTION] Requests

// Yields the step `op` on `slot` (-1: none) with the top `nargs` values.
int request(lua_State* L, Op op, int slot, int nargs) {
    LuaRun& run = run_of(L);
    if (run.in_host()) return luaL_error(L, "this step cannot run here: invariants, outcomes, receive matches and continuations may only read");
    if (!lua_isyieldable(L)) return luaL_error(L, "this step cannot run inside this call (a table.sort comparator, a metamethod of a C function...)");
    lua_pushinteger(L, static_cast<lua_Integer>(op));
    lua_pushinteger(L, slot);
    lua_rotate(L, -(nargs + 2), 2);
    return lua_yield(L, nargs + 2);
}

const char* opt_name(lua_State* L, int index) { return lua_type(L, index) == LUA_TSTRING ? lua_tostring(L, index) : nullptr; }

// [SECTION] Constructors

// shared(v [, name]), tvar(v [, name]): an object holding a copy of any value.
template <Kind K>
int l_holder(lua_State* L) {
    LuaRun& run = run_of(L);
    const std::int64_t v = run.values().encode(L, 1);
    run.push_new(L, K, v, 0, opt_name(L, 2));
    return 1;
}
int l_atomic(lua_State* L) {
    run_of(L).push_new(L, Kind::Atomic, luaL_optinteger(L, 1, 0), 0, opt_name(L, 2));
    return 1;
}
int l_mutex(lua_State* L) {
    run_of(L).push_new(L, Kind::Mutex, 0, 0, opt_name(L, 1));
    return 1;
}
int l_semaphore(lua_State* L) {
    const lua_Integer permits = luaL_checkinteger(L, 1);
    luaL_argcheck(L, permits >= 0 && permits <= 1000000, 1, "permits must be between 0 and 1,000,000");
    run_of(L).push_new(L, Kind::Semaphore, 0, static_cast<int>(permits), opt_name(L, 2));
    return 1;
}
int l_condvar(lua_State* L) {
    run_of(L).push_new(L, Kind::CondVar, 0, 0, opt_name(L, 1));
    return 1;
}
int l_channel(lua_State* L) {
    int name_at = 1;
    lua_Integer capacity = 0;
    if (lua_isinteger(L, 1)) {
        capacity = lua_tointeger(L, 1);
        name_at = 2;
    } else {
        luaL_argcheck(L, lua_isnoneornil(L, 1) || lua_type(L, 1) == LUA_TSTRING, 1, "a capacity (an integer) or a name");
    }
    luaL_argcheck(L, capacity >= 0 && capacity <= 1000000, 1, "a channel's capacity must be between 0 and 1,000,000");
    run_of(L).push_new(L, Kind::Channel, 0, static_cast<int>(capacity), opt_name(L, name_at));
    return 1;
}
int l_promise(lua_State* L) {
    run_of(L).push_new(L, Kind::Promise, 0, 0, opt_name(L, 1));
    return 1;
}
int l_dataflow(lua_State* L) {  // a dataflow variable: bound once; binding the same value again unifies
    run_of(L).push_new(L, Kind::Promise, 0, 1, opt_name(L, 1));
    return 1;
}
int l_pipe(lua_State* L) {  // pipe([capacity] [, name]): a byte stream between processes
    int name_at = 1;
    lua_Integer capacity = 64;
    if (lua_isinteger(L, 1)) {
        capacity = lua_tointeger(L, 1);
        name_at = 2;
    }
    luaL_argcheck(L, capacity >= 1 && capacity <= 1000000, 1, "a pipe's capacity is 1 to 1,000,000 bytes");
    run_of(L).push_new(L, Kind::Pipe, 0, static_cast<int>(capacity), opt_name(L, name_at));
    return 1;
}

// [SECTION] Methods

int l_tostring(lua_State* L) {
    auto* h = static_cast<Handle*>(lua_touserdata(L, 1));
    LuaRun& run = run_of(L);
    const LuaRun::Slot& s = run.slot(h->slot);
    if (s.object) lua_pushstring(L, s.object->name().c_str());
    else lua_pushstring(L, run.rt().task_name(s.task).c_str());
    return 1;
}

int l_shared_get(lua_State* L) {
    LuaRun& run = run_of(L);
    LuaRun::Slot& s = run.check(L, 1, Kind::Shared, "get");
    if (run.in_host()) {
        run.values().push(L, static_cast<engine::SharedVar*>(s.object)->value());
        return 1;
    }
    return request(L, Op::Read, slot_index(L, 1), 0);
}
int l_shared_set(lua_State* L) {
    run_of(L).check(L, 1, Kind::Shared, "set");
    lua_settop(L, 2);
    return request(L, Op::Write, slot_index(L, 1), 1);
}

int l_tvar_get(lua_State* L) {
    LuaRun& run = run_of(L);
    LuaRun::Slot& s = run.check(L, 1, Kind::TVar, "get");
    if (run.in_host()) {
        run.values().push(L, static_cast<LuaTVar*>(s.object)->raw());
        return 1;
    }
    if (!run.in_tx(L)) return luaL_error(L, "a tvar can only be read inside atomically(function() ... end)");
    return request(L, Op::TxRead, slot_index(L, 1), 0);
}
int l_tvar_set(lua_State* L) {
    LuaRun& run = run_of(L);
    run.check(L, 1, Kind::TVar, "set");
    if (!run.in_tx(L)) return luaL_error(L, "a tvar can only be written inside atomically(function() ... end)");
    lua_settop(L, 2);
    return request(L, Op::TxWrite, slot_index(L, 1), 1);
}

// x.value reads and x.value = v writes (each one step); x:get(), x:set(v) too.
template <Kind K, lua_CFunction Get, lua_CFunction Set>
int l_value_index(lua_State* L) {
    const char* key = lua_tostring(L, 2);
    if (key && std::strcmp(key, "value") == 0) {
        lua_settop(L, 1);
        return Get(L);
    }
    luaL_getmetafield(L, 1, "methods");
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) == LUA_TNIL) {  // a misspelt .value reads nil silently otherwise (x.valeu), while a write of it is refused
        return luaL_error(L, "a %s has no field '%s': its value is .value", meta_name(K), key ? key : luaL_typename(L, 2));
    }
    return 1;
}
template <Kind K, lua_CFunction Set>
int l_value_newindex(lua_State* L) {
    const char* key = lua_tostring(L, 2);
    if (!key || std::strcmp(key, "value") != 0) return luaL_error(L, "only .value can be set on a %s", meta_name(K));
    lua_remove(L, 2);
    return Set(L);
}

int l_atomic_load(lua_State* L) {
    LuaRun& run = run_of(L);
    LuaRun::Slot& s = run.check(L, 1, Kind::Atomic, "load");
    if (run.in_host()) {
        lua_pushinteger(L, static_cast<engine::Atomic*>(s.object)->value());
        return 1;
    }
    return request(L, Op::Load, slot_index(L, 1), 0);
}
int atomic_op(lua_State* L, Op op, const char* what, int nargs) {
    run_of(L).check(L, 1, Kind::Atomic, what);
    for (int i = 2; i < 2 + nargs; ++i) luaL_checkinteger(L, i);
    lua_settop(L, 1 + nargs);
    return request(L, op, slot_index(L, 1), nargs);
}
int l_atomic_store(lua_State* L) { return atomic_op(L, Op::Store, "store", 1); }
int l_atomic_add(lua_State* L) { return atomic_op(L, Op::Add, "add", 1); }
int l_atomic_cas(lua_State* L) { return atomic_op(L, Op::Cas, "cas", 2); }

template <Kind K, Op O>
int l_simple(lua_State* L) {  // a step on the object with no arguments
    run_of(L).check(L, 1, K, meta_name(K));
    lua_settop(L, 1);
    return request(L, O, slot_index(L, 1), 0);
}
template <Kind K, Op O>
int l_with_value(lua_State* L) {  // a step on the object with one value
    run_of(L).check(L, 1, K, meta_name(K));
    lua_settop(L, 2);
    return request(L, O, slot_index(L, 1), 1);
}

int l_cond_wait(lua_State* L) {
    LuaRun& run = run_of(L);
    run.check(L, 1, Kind::CondVar, "wait");
    run.check(L, 2, Kind::Mutex, "wait");
    lua_pushinteger(L, slot_index(L, 2));
    lua_replace(L, 2);
    lua_settop(L, 2);
    return request(L, Op::Wait, slot_index(L, 1), 1);
}

int l_chan_recv(lua_State* L) {
    run_of(L).check(L, 1, Kind::Channel, "recv");
    lua_settop(L, 1);
    return request(L, Op::Recv, slot_index(L, 1), 0);
}
int l_chan_range(lua_State* L) {  // for v in ch:range() do ... end: receives until closed
    run_of(L).check(L, 1, Kind::Channel, "range");
    lua_pushcfunction(L, l_chan_recv);
    lua_pushvalue(L, 1);
    return 2;
}

int l_promise_next(lua_State* L) {
    run_of(L).check(L, 1, Kind::Promise, "next");
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    return request(L, Op::Then, slot_index(L, 1), 1);
}

int l_join(lua_State* L) {
    LuaRun& run = run_of(L);
    LuaRun::Slot& s = run.check(L, 1, Kind::Task, "join");
    if (!s.done) return luaL_error(L, "join: this task cannot be joined");
    lua_settop(L, 1);
    return request(L, Op::Join, slot_index(L, 1), 0);
}

int l_actor_send(lua_State* L) {
    LuaRun& run = run_of(L);
    LuaRun::Slot& s = run.check(L, 1, Kind::Task, "send");
    if (s.kind != Kind::Actor) return luaL_error(L, "send needs an actor (made with spawn), got the task %s", run.rt().task_name(s.task).c_str());
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    return request(L, Op::ActorSend, slot_index(L, 1), 1);
}

// [SECTION] Tasks

int my_mailbox(lua_State* L, const char* what);

// go([name,] fn, ...), spawn([name,] fn, ...), spawn_link([name,] fn, ...)
int spawn_task(lua_State* L, bool actor, bool link = false) {
    LuaRun& run = run_of(L);
    std::string name;
    int fn = 1;
    if (lua_type(L, 1) == LUA_TSTRING) {
        name = lua_tostring(L, 1);
        fn = 2;
    }
    luaL_checktype(L, fn, LUA_TFUNCTION);
    if (run.rt().task_count() >= kMaxTasks) return luaL_error(L, "a program may start %d tasks at most", kMaxTasks);
    if (name.empty()) name = (actor ? "A" : "T") + std::to_string(run.rt().task_count());
    if (link) my_mailbox(L, "spawn_link");
    run.push_spawn(L, fn, lua_gettop(L) - fn, name, actor, nullptr, link);
    return 1;
}
int l_go(lua_State* L) { return spawn_task(L, false); }
int l_process(lua_State* L) { return spawn_task(L, false); }  // its memory is its own, as every task's copy is
int l_spawn(lua_State* L) { return spawn_task(L, true); }
int l_spawn_link(lua_State* L) { return spawn_task(L, true, true); }

int l_future(lua_State* L) {  // future(fn, ...): a task whose result fulfils a promise
    LuaRun& run = run_of(L);
    luaL_checktype(L, 1, LUA_TFUNCTION);
    const std::string name = "F" + std::to_string(run.rt().task_count());
    run.push_new(L, Kind::Promise, 0, 0, name.c_str());
    auto* p = static_cast<engine::Promise*>(run.slot(slot_index(L, -1)).object);
    lua_insert(L, 1);  // the promise below the function and its arguments
    run.push_spawn(L, 2, lua_gettop(L) - 2, name, false, p);
    lua_settop(L, 1);
    return 1;
}

int l_yield(lua_State* L) {
    lua_settop(L, 0);
    return request(L, Op::Yield, -1, 0);
}
int l_sleep(lua_State* L) {
    const lua_Integer ms = luaL_checkinteger(L, 1);
    luaL_argcheck(L, ms >= 0 && ms <= 1000000000, 1, "sleep takes milliseconds of virtual time from 0 to 1,000,000,000");
    lua_settop(L, 1);
    return request(L, Op::Sleep, -1, 1);
}
int l_after(lua_State* L) {
    const lua_Integer ms = luaL_checkinteger(L, 1);
    luaL_argcheck(L, ms >= 0 && ms <= 1000000000, 1, "after takes milliseconds of virtual time from 0 to 1,000,000,000");
    lua_settop(L, 1);
    return request(L, Op::After, -1, 1);
}

int l_print(lua_State* L) {
    LuaRun& run = run_of(L);
    {
        std::string line;
        for (int i = 1; i <= lua_gettop(L); ++i) line += (i > 1 ? "\t" : "") + display_raw(L, i);
        if (run.active_loop()) {  // inside a loop's callback: console.log, no step of its own
            run.log(line);
            return 0;
        }
        lua_pushstring(L, line.c_str());
    }
    return request(L, Op::Print, -1, 1);
}

// [SECTION] Fibers, pipes and the event loop

int l_fiber(lua_State* L) {  // fiber([name,] fn): runs fn when resumed, until it suspends or ends
    LuaRun& run = run_of(L);
    int fn = 1;
    if (lua_type(L, 1) == LUA_TSTRING) fn = 2;
    luaL_checktype(L, fn, LUA_TFUNCTION);
    {
        std::string name = fn == 2 ? lua_tostring(L, 1) : "fiber" + std::to_string(run.rt().task_count());
        run.push_fiber(L, fn, std::move(name));
    }
    return 1;
}
int l_resume(lua_State* L) {
    run_of(L).check(L, 1, Kind::Fiber, "resume");
    lua_settop(L, 2);
    return request(L, Op::Resume, slot_index(L, 1), 1);
}
int l_suspend(lua_State* L) {
    lua_settop(L, 1);
    return request(L, Op::Suspend, -1, 1);
}
int l_pipe_write(lua_State* L) {
    run_of(L).check(L, 1, Kind::Pipe, "write");
    luaL_checkstring(L, 2);
    lua_settop(L, 2);
    return request(L, Op::PipeWrite, slot_index(L, 1), 1);
}
int l_pipe_read(lua_State* L) {
    run_of(L).check(L, 1, Kind::Pipe, "read");
    const lua_Integer max = luaL_optinteger(L, 2, 4096);
    luaL_argcheck(L, max >= 1 && max <= 1000000, 2, "read takes 1 to 1,000,000 bytes at most");
    lua_settop(L, 1);
    lua_pushinteger(L, max);
    return request(L, Op::PipeRead, slot_index(L, 1), 1);
}

int l_stream(lua_State* L) {  // stream([name]): a socket; a task writes it (the network), a loop watches it
    run_of(L).push_new(L, Kind::Stream, 0, 0, opt_name(L, 1));
    return 1;
}
int l_stream_write(lua_State* L) {
    run_of(L).check(L, 1, Kind::Stream, "write");
    luaL_checkstring(L, 2);
    lua_settop(L, 2);
    return request(L, Op::StreamWrite, slot_index(L, 1), 1);
}
int l_stream_read(lua_State* L) {  // in a reactor's callback: what arrived (nil at the end); in a task: a blocking read
    LuaRun& run = run_of(L);
    LuaRun::Slot& s = run.check(L, 1, Kind::Stream, "read");
    if (run.active_loop()) {
        const std::string got = static_cast<engine::Stream*>(s.object)->read();
        if (got.empty()) lua_pushnil(L);
        else lua_pushlstring(L, got.data(), got.size());
        return 1;
    }
    lua_settop(L, 1);
    return request(L, Op::StreamRead, slot_index(L, 1), 0);
}

int l_event_loop(lua_State* L) {  // event_loop(script): a loop that runs the script, then its callbacks
    luaL_checktype(L, 1, LUA_TFUNCTION);
    run_of(L).push_loop(L, 1);
    return 1;
}
engine::EventLoop& loop_of(lua_State* L, const char* what) {
    engine::EventLoop* loop = run_of(L).active_loop();
    if (!loop) luaL_error(L, "%s can only be called inside an event loop's script or callbacks (see event_loop)", what);
    return *loop;
}
// A callback's name for the views: its kind and the line that registered it.
void push_callback_name(lua_State* L, const char* kind) {
    lua_Debug ar;
    int line = 0;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar)) line = ar.currentline;
    lua_pushfstring(L, "%s (line %d)", kind, line);
}
template <int Kind>  // 0 timeout, 1 interval
int l_set_timer(lua_State* L) {
    engine::EventLoop& loop = loop_of(L, Kind == 0 ? "set_timeout" : "set_interval");
    luaL_checktype(L, 1, LUA_TFUNCTION);
    const lua_Integer ms = luaL_checkinteger(L, 2);
    luaL_argcheck(L, ms >= 0 && ms <= 1000000000, 2, "a delay is 0 to 1,000,000,000 ms");
    push_callback_name(L, Kind == 0 ? "timeout" : "interval");
    const std::string name = lua_tostring(L, -1);
    auto cb = run_of(L).loop_callback(L, 1);
    loop.at(LuaRun::code_of(L, 1));
    const std::uint64_t id = Kind == 0 ? loop.set_timeout(name, static_cast<std::uint64_t>(ms), std::move(cb))
                                       : loop.set_interval(name, static_cast<std::uint64_t>(ms), std::move(cb));
    lua_pushinteger(L, static_cast<lua_Integer>(id));
    return 1;
}
int l_clear_timer(lua_State* L) {
    loop_of(L, "clear_timer").clear_timer(static_cast<std::uint64_t>(luaL_checkinteger(L, 1)));
    return 0;
}
template <int Kind>  // 0 immediate, 1 next tick, 2 promise job
int l_queue(lua_State* L) {
    static constexpr const char* kNames[] = {"set_immediate", "next_tick", "queue_microtask"};
    engine::EventLoop& loop = loop_of(L, kNames[Kind]);
    luaL_checktype(L, 1, LUA_TFUNCTION);
    push_callback_name(L, Kind == 0 ? "immediate" : Kind == 1 ? "tick" : "promise job");
    const std::string name = lua_tostring(L, -1);
    auto cb = run_of(L).loop_callback(L, 1);
    loop.at(LuaRun::code_of(L, 1));
    if (Kind == 0) loop.set_immediate(name, std::move(cb));
    else if (Kind == 1) loop.next_tick(name, std::move(cb));
    else loop.queue_microtask(name, std::move(cb));
    return 0;
}
template <bool Proactor>  // watch(s, fn): fn() when readable; read_stream(s, fn): fn(data) with what was read
int l_watch(lua_State* L) {
    engine::EventLoop& loop = loop_of(L, Proactor ? "read_stream" : "watch");
    LuaRun& run = run_of(L);
    auto* stream = static_cast<engine::Stream*>(run.check(L, 1, Kind::Stream, Proactor ? "read_stream" : "watch").object);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    push_callback_name(L, Proactor ? "read" : "readable");
    const std::string name = lua_tostring(L, -1);
    loop.at(LuaRun::code_of(L, 2));
    if (Proactor) loop.read(*stream, name, run.data_callback(L, 2));
    else loop.watch(*stream, name, run.loop_callback(L, 2));
    return 0;
}
int l_unwatch(lua_State* L) {
    engine::EventLoop& loop = loop_of(L, "unwatch");
    loop.unwatch(*static_cast<engine::Stream*>(run_of(L).check(L, 1, Kind::Stream, "unwatch").object));
    return 0;
}
int l_busy(lua_State* L) {  // busy(ms): the running callback computes; the loop can do nothing else
    const lua_Integer ms = luaL_checkinteger(L, 1);
    luaL_argcheck(L, ms >= 0 && ms <= 100000, 1, "busy takes 0 to 100,000 ms");
    loop_of(L, "busy").busy(static_cast<std::uint64_t>(ms));
    return 0;
}
int l_queue_work(lua_State* L) {  // queue_work(ms, after): the pool computes off the loop, then `after` runs on it
    engine::EventLoop& loop = loop_of(L, "queue_work");
    const lua_Integer ms = luaL_checkinteger(L, 1);
    luaL_argcheck(L, ms >= 0 && ms <= 100000, 1, "work takes 0 to 100,000 ms");
    luaL_checktype(L, 2, LUA_TFUNCTION);
    push_callback_name(L, "work");
    const std::string name = lua_tostring(L, -1);
    auto after = run_of(L).loop_callback(L, 2);
    loop.at(LuaRun::code_of(L, 2)).queue_work(name, static_cast<std::uint64_t>(ms), std::move(after));
    return 0;
}
int l_tostring_any(lua_State* L) {
    luaL_checkany(L, 1);
    lua_pushstring(L, display_raw(L, 1).c_str());
    return 1;
}
int l_assert(lua_State* L) {
    luaL_checkany(L, 1);
    if (lua_toboolean(L, 1)) return lua_gettop(L);
    const char* message = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : nullptr;
    return message ? luaL_error(L, "assertion failed: %s", message) : luaL_error(L, "assertion failed");
}
int l_invariant(lua_State* L) {  // invariant(fn [, message]): checked on the final state
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_Debug ar;
    std::string message = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "";
    if (message.empty() && lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar)) message = "the invariant of line " + std::to_string(ar.currentline);
    run_of(L).add_check(L, 1, message, false);
    return 0;
}
int l_outcome(lua_State* L) {  // outcome(fn): names the final state for the explorer
    luaL_checktype(L, 1, LUA_TFUNCTION);
    run_of(L).add_check(L, 1, "", true);
    return 0;
}

int l_self(lua_State* L) {
    LuaRun& run = run_of(L);
    run.push_task(L, run.current_task());
    return 1;
}
int my_mailbox(lua_State* L, const char* what) {
    LuaRun& run = run_of(L);
    lua_pushcfunction(L, l_self);
    lua_call(L, 0, 1);
    auto* h = static_cast<Handle*>(luaL_testudata(L, -1, meta_name(Kind::Actor)));
    if (!h) luaL_error(L, "%s: only an actor (started with spawn) has a mailbox", what);
    lua_pop(L, 1);
    (void)run;
    return h ? h->slot : -1;
}
int l_receive(lua_State* L) {  // receive([pattern] [, timeout]): a tag, or a function(msg) -> bool
    const int box = my_mailbox(L, "receive");
    if (lua_isinteger(L, 1) && lua_gettop(L) == 1) {  // receive(timeout)
        lua_pushnil(L);
        lua_insert(L, 1);
    }
    lua_settop(L, 2);
    const lua_Integer timeout = lua_isnil(L, 2) ? 0 : luaL_checkinteger(L, 2);
    luaL_argcheck(L, timeout >= 0 && timeout <= 1000000000, 2, "a timeout is milliseconds of virtual time (1 or more)");
    luaL_argcheck(L, lua_isnil(L, 1) || lua_type(L, 1) == LUA_TSTRING || lua_isfunction(L, 1), 1, "a pattern is a tag (a string) or a function(msg)");
    lua_pushinteger(L, timeout);
    lua_pushvalue(L, 1);
    lua_remove(L, 1);
    lua_remove(L, 1);
    return request(L, Op::Receive, box, 2);
}
int l_send(lua_State* L) { return l_actor_send(L); }
int l_link(lua_State* L) {
    my_mailbox(L, "link");
    LuaRun::Slot& s = run_of(L).check(L, 1, Kind::Task, "link");
    (void)s;
    lua_settop(L, 1);
    return request(L, Op::Link, slot_index(L, 1), 0);
}
int l_monitor(lua_State* L) {
    my_mailbox(L, "monitor");
    run_of(L).check(L, 1, Kind::Task, "monitor");
    lua_settop(L, 1);
    return request(L, Op::Monitor, slot_index(L, 1), 0);
}
int l_exit(lua_State* L) {  // exit(pid [, reason]): the actor dies of `reason` at its next receive
    LuaRun::Slot& s = run_of(L).check(L, 1, Kind::Task, "exit");
    if (s.kind != Kind::Actor) return luaL_error(L, "exit needs an actor (made with spawn)");
    const char* reason = luaL_optstring(L, 2, "killed");
    lua_settop(L, 1);
    lua_pushstring(L, reason);
    return request(L, Op::Exit, slot_index(L, 1), 1);
}
int l_trap_exits(lua_State* L) {
    my_mailbox(L, "trap_exits");
    lua_settop(L, 0);
    return request(L, Op::TrapExits, -1, 0);
}

int l_await(lua_State* L) {  // await(function() return cond end)
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    return request(L, Op::Await, -1, 1);
}

int l_atomically(lua_State* L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    if (run_of(L).in_tx(L)) return luaL_error(L, "atomically cannot be called inside atomically: write the inner body's reads and writes in the outer transaction (they are already part of it)");
    lua_settop(L, 1);
    return request(L, Op::Atomically, -1, 1);
}
int l_retry(lua_State* L) {
    if (!run_of(L).in_tx(L)) return luaL_error(L, "retry can only be called inside atomically(...)");
    lua_settop(L, 0);
    return request(L, Op::Retry, -1, 0);
}
int l_or_else(lua_State* L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    if (!run_of(L).in_tx(L)) return luaL_error(L, "or_else can only be called inside atomically(...)");
    lua_settop(L, 2);
    return request(L, Op::OrElse, -1, 2);
}
int l_defer(lua_State* L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    if (!run_of(L).in_tx(L)) return luaL_error(L, "defer can only be called inside atomically(...): it runs once the transaction commits");
    lua_settop(L, 1);
    return request(L, Op::Defer, -1, 1);
}

// The engine's half of select (the prelude's select builds the cases):
// _such_select({ {ch, is_send, value}, ... }, has_default) -> index, value, ok
int l_engine_select(lua_State* L) {
    LuaRun& run = run_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    const auto n = static_cast<lua_Integer>(lua_rawlen(L, 1));
    if (n == 0 && !lua_toboolean(L, 2)) {
        // select{} waits forever, as Go's does: a task blocked for good.
    }
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, 1, i);
        lua_rawgeti(L, -1, 1);
        run.check(L, -1, Kind::Channel, "select");
        lua_pushinteger(L, slot_index(L, -1));
        lua_rawseti(L, -3, 1);
        lua_pop(L, 2);
    }
    lua_settop(L, 2);
    return request(L, Op::Select, -1, 2);
}

// [SECTION] Registration

void methods_table(lua_State* L, Kind kind, const luaL_Reg* methods, lua_CFunction index, lua_CFunction newindex) {
    // luaL_newmetatable, with room for the six fields at once
    lua_createtable(L, 0, 8);
    lua_pushstring(L, meta_name(kind));
    lua_setfield(L, -2, "__name");
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, meta_name(kind));
    int count = 0;
    while (methods[count].name) ++count;
    lua_createtable(L, 0, count);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "methods");
    if (index) lua_pushcfunction(L, index);
    else lua_getfield(L, -1, "methods");
    lua_setfield(L, -2, "__index");
    if (newindex) {
        lua_pushcfunction(L, newindex);
        lua_setfield(L, -2, "__newindex");
    }
    lua_pushcfunction(L, l_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushstring(L, "such");
    lua_setfield(L, -2, "__metatable");  // getmetatable() cannot reach the methods to change them
}

// A kind's metatable is made when the run makes its first object of that
// kind, so a fresh state (one per explored execution) builds only those its
// program uses. Until then luaL_testudata finds no object of that kind, rightly.
void push_metatable(lua_State* L, Kind kind) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, meta_name(kind)) != LUA_TNIL) return;
    lua_pop(L, 1);
    static const luaL_Reg shared[] = {{"get", l_shared_get}, {"set", l_shared_set}, {nullptr, nullptr}};
    static const luaL_Reg tvar[] = {{"get", l_tvar_get}, {"set", l_tvar_set}, {nullptr, nullptr}};
    static const luaL_Reg atomic[] = {{"load", l_atomic_load}, {"store", l_atomic_store}, {"add", l_atomic_add}, {"cas", l_atomic_cas}, {nullptr, nullptr}};
    static const luaL_Reg mutex[] = {{"lock", l_simple<Kind::Mutex, Op::Lock>}, {"unlock", l_simple<Kind::Mutex, Op::Unlock>},
                                     {"trylock", l_simple<Kind::Mutex, Op::TryLock>}, {nullptr, nullptr}};
    static const luaL_Reg sem[] = {{"acquire", l_simple<Kind::Semaphore, Op::Acquire>}, {"release", l_simple<Kind::Semaphore, Op::Release>}, {nullptr, nullptr}};
    static const luaL_Reg cond[] = {{"wait", l_cond_wait}, {"signal", l_simple<Kind::CondVar, Op::Signal>},
                                    {"broadcast", l_simple<Kind::CondVar, Op::Broadcast>}, {nullptr, nullptr}};
    static const luaL_Reg chan[] = {{"send", l_with_value<Kind::Channel, Op::Send>}, {"recv", l_chan_recv}, {"close", l_simple<Kind::Channel, Op::Close>},
                                    {"range", l_chan_range}, {nullptr, nullptr}};
    static const luaL_Reg promise[] = {{"set", l_with_value<Kind::Promise, Op::Set>}, {"bind", l_with_value<Kind::Promise, Op::Set>},
                                       {"get", l_simple<Kind::Promise, Op::Get>}, {"next", l_promise_next}, {nullptr, nullptr}};
    static const luaL_Reg fiber[] = {{"resume", l_resume}, {nullptr, nullptr}};
    static const luaL_Reg pipe[] = {{"write", l_pipe_write}, {"read", l_pipe_read}, {"close", l_simple<Kind::Pipe, Op::PipeClose>}, {nullptr, nullptr}};
    static const luaL_Reg loop[] = {{nullptr, nullptr}};
    static const luaL_Reg stream[] = {{"write", l_stream_write}, {"close", l_simple<Kind::Stream, Op::StreamClose>}, {"read", l_stream_read}, {nullptr, nullptr}};
    static const luaL_Reg task[] = {{"join", l_join}, {nullptr, nullptr}};
    static const luaL_Reg actor[] = {{"join", l_join}, {"send", l_actor_send}, {nullptr, nullptr}};
    switch (kind) {
    case Kind::Shared:
        methods_table(L, kind, shared, l_value_index<Kind::Shared, l_shared_get, l_shared_set>, l_value_newindex<Kind::Shared, l_shared_set>);
        return;
    case Kind::TVar: methods_table(L, kind, tvar, l_value_index<Kind::TVar, l_tvar_get, l_tvar_set>, l_value_newindex<Kind::TVar, l_tvar_set>); return;
    case Kind::Atomic: methods_table(L, kind, atomic, nullptr, nullptr); return;
    case Kind::Mutex: methods_table(L, kind, mutex, nullptr, nullptr); return;
    case Kind::Semaphore: methods_table(L, kind, sem, nullptr, nullptr); return;
    case Kind::CondVar: methods_table(L, kind, cond, nullptr, nullptr); return;
    case Kind::Channel:
    case Kind::Timer: methods_table(L, kind, chan, nullptr, nullptr); return;  // one metatable, "channel"
    case Kind::Promise: methods_table(L, kind, promise, nullptr, nullptr); return;
    case Kind::Fiber: methods_table(L, kind, fiber, nullptr, nullptr); return;
    case Kind::Pipe: methods_table(L, kind, pipe, nullptr, nullptr); return;
    case Kind::Loop: methods_table(L, kind, loop, nullptr, nullptr); return;
    case Kind::Stream: methods_table(L, kind, stream, nullptr, nullptr); return;
    case Kind::Task: methods_table(L, kind, task, nullptr, nullptr); return;
    case Kind::Actor: methods_table(L, kind, actor, nullptr, nullptr); return;
    }
}

}  // namespace

void open_api(lua_State* L) {
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, kSlots);
    const luaL_Reg globals[] = {
        {"shared", l_holder<Kind::Shared>}, {"atomic", l_atomic}, {"mutex", l_mutex}, {"semaphore", l_semaphore}, {"condvar", l_condvar},
        {"channel", l_channel}, {"promise", l_promise}, {"dataflow", l_dataflow}, {"tvar", l_holder<Kind::TVar>},
        {"go", l_go}, {"spawn", l_spawn}, {"spawn_link", l_spawn_link}, {"future", l_future}, {"yield", l_yield}, {"sleep", l_sleep}, {"after", l_after},
        {"print", l_print}, {"tostring", l_tostring_any}, {"assert", l_assert}, {"invariant", l_invariant}, {"outcome", l_outcome},
        {"self", l_self}, {"receive", l_receive}, {"send", l_send}, {"link", l_link}, {"monitor", l_monitor}, {"trap_exits", l_trap_exits}, {"exit", l_exit},
        {"await", l_await}, {"atomically", l_atomically}, {"retry", l_retry}, {"or_else", l_or_else}, {"defer", l_defer},
        {"fiber", l_fiber}, {"suspend", l_suspend}, {"pipe", l_pipe}, {"process", l_process},
        {"event_loop", l_event_loop}, {"set_timeout", l_set_timer<0>}, {"set_interval", l_set_timer<1>}, {"clear_timer", l_clear_timer},
        {"set_immediate", l_queue<0>}, {"next_tick", l_queue<1>}, {"queue_microtask", l_queue<2>}, {"busy", l_busy},
        {"queue_work", l_queue_work}, {"stream", l_stream}, {"watch", l_watch<false>}, {"read_stream", l_watch<true>}, {"unwatch", l_unwatch},
        {"_such_select", l_engine_select}, {nullptr, nullptr}};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
}

const char* const kPrelude = R"lua(
local engine_select, lua_select, rawnext, rawtype, tsort = _such_select, select, next, type, table.sort
_such_select = nil

function case_recv(ch, fn) return {kind = "recv", ch = ch, fn = fn} end
function case_send(ch, value, fn) return {kind = "send", ch = ch, value = value, fn = fn} end
function case_timeout(ms, fn) return {kind = "timeout", ms = ms, fn = fn} end
function case_default(fn) return {kind = "default", fn = fn} end

-- select{case...} as Go's select; select("#", ...) and select(n, ...) as Lua's.
function select(cases, ...)
  if rawtype(cases) ~= "table" then return lua_select(cases, ...) end
  local list, chosen, default = {}, {}, nil
  for i = 1, #cases do
    local c = cases[i]
    if rawtype(c) ~= "table" or c.kind == nil then
      error("select: case " .. i .. " is not made by case_recv, case_send, case_timeout or case_default", 2)
    end
    if c.kind == "default" then
      default = c
    else
      local ch = c.ch
      if c.kind == "timeout" then ch = after(c.ms) end
      list[#list + 1] = {ch, c.kind == "send", c.value}
      chosen[#list] = c
    end
  end
  local index, value, ok = engine_select(list, default ~= nil)
  local c = index == 0 and default or chosen[index]
  if c.fn then return c.fn(value, ok) end
  return index, value, ok
end

-- supervisor([name,] {strategy =, intensity =, children = {{name, fn, args...}, ...}}):
-- an actor that starts its children linked and, when one dies of an error,
-- starts it again (one_for_one) or stops and starts them all (one_for_all);
-- past `intensity` restarts it gives up and dies itself. Children that end
-- normally are not restarted.
function supervisor(name, spec)
  if rawtype(name) == "table" then name, spec = "supervisor", name end
  if rawtype(spec) ~= "table" or rawtype(spec.children) ~= "table" then
    error("supervisor needs {children = {{name, fn, ...}, ...}}", 2)
  end
  local strategy, intensity = spec.strategy or "one_for_one", spec.intensity or 3
  -- Its giving up names the line that made it (error at level 3: our caller's).
  local _, where = pcall(error, "", 3)
  local at = rawtype(where) == "string" and where:match("^program:(%d+):") or nil
  local gives_up = (at and ("line " .. at .. ": ") or "") .. "gives up after " .. intensity .. " restarts"
  if strategy ~= "one_for_one" and strategy ~= "one_for_all" then
    error("a supervisor's strategy is \"one_for_one\" or \"one_for_all\"", 2)
  end
  return spawn(name, function()
    trap_exits()
    local children, pids, starts, restarts, running = spec.children, {}, {}, 0, 0
    local function start(i)
      local c = children[i]
      starts[i] = (starts[i] or 0) + 1
      pids[i] = spawn_link(starts[i] > 1 and (c[1] .. "#" .. starts[i]) or c[1], c[2], table.unpack(c, 3))
      running = running + 1
    end
    for i = 1, #children do start(i) end
    while running > 0 do
      local m = receive("EXIT")
      for i = 1, #children do
        if pids[i] == m[2] then
          pids[i], running = nil, running - 1
          if m[3] ~= "normal" then
            restarts = restarts + 1
            if restarts > intensity then error(gives_up, 0) end
            if strategy == "one_for_all" then
              for k = 1, #children do
                if pids[k] then exit(pids[k], "shutdown"); pids[k], running = nil, running - 1 end
              end
              for k = 1, #children do start(k) end
            else
              start(i)
            end
          end
        end
      end
    end
  end)
end

-- pairs in a fixed order (numbers, then strings, then booleans), so that a
-- run depends on its seed and schedule only.
local order = {number = 1, string = 2, boolean = 3}
local function key_less(a, b)
  local ta, tb = order[rawtype(a)] or 4, order[rawtype(b)] or 4
  if ta ~= tb then return ta < tb end
  if ta == 1 or ta == 2 then return a < b end
  if ta == 3 then return (not a) and b end
  return false
end
function pairs(t)
  local keys, n = {}, 0
  for k in rawnext, t do n = n + 1; keys[n] = k end
  tsort(keys, key_less)
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, t[k] end
  end
end
)lua";

}  // namespace such::scenes::lua
