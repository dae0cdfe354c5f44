// A user program's run: a fresh Lua state per run, one engine task per Lua
// task, and the driver that performs each primitive a Lua task yields as the
// engine step a C++ scene would take.
//
// Index
//   [SECTION] The Lua state    - a capped allocator, a preempting hook, the sandbox
//   [SECTION] Errors           - "line 7: message" out of Lua's messages
//   [SECTION] Tasks            - spawning, the driver, naming objects
//   (the steps, one case per primitive: scenes/program_steps.cpp)
//   [SECTION] Outcomes         - failures, invariants, the explorer's key
//   [SECTION] The scene        - program_scene, check_program
#include "scenes/narrate.hpp"
#include "scenes/program.hpp"

#include <algorithm>
#include <cstring>

#include "engine/atomic.hpp"
#include "engine/channel.hpp"
#include "engine/condvar.hpp"
#include "engine/event_loop.hpp"
#include "engine/future.hpp"
#include "engine/mutex.hpp"
#include "engine/semaphore.hpp"
#include "scenes/loop_scene.hpp"
#include "scenes/lua_run.hpp"

namespace such::scenes {
namespace lua {

using engine::Ctx;
using engine::ExitSignal;
using engine::Panic;

// [SECTION] The Lua state

namespace {
constexpr std::size_t kMemoryCap = std::size_t{64} << 20;
constexpr int kHookEvery = 10000;       // instructions between preemption points
constexpr long kHostBudget = 200;       // hook periods a host call may run (2 M instructions)
// Restarted plainly, the collector would start a cycle with the run's first
// allocation and mark all the libraries again, though most explored
// executions make a few KB of garbage in all. Lua 5.4 adds a step's size to
// the collector's debt, so a step of -256 (KB) is a credit: the first cycle
// starts once the run has allocated that much.
constexpr int kGcGrace = 256;

void preempt(lua_State* L, lua_Debug* ar) {
    if (ar->event != LUA_HOOKCOUNT) return;
    if (lua_isyieldable(L)) {
        lua_yield(L, 0);  // the driver takes a compute step: others may run
        return;
    }
    LuaRun::of(L).count_instructions(L);
}
}  // namespace

void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
    auto* run = static_cast<LuaRun*>(ud);
    const std::size_t old = ptr ? osize : 0;
    if (nsize > old && run->memory_ + (nsize - old) > kMemoryCap) {
        run->out_of_memory_ = true;
        // Under protection the failure is a Lua error; on the host it would
        // abort, so the host gets its few bytes and the run ends at the next step.
        if (run->guarded_ > 0) return nullptr;
    }
    void* p = run->arena_.resize(ptr, old, nsize);
    if (p || nsize == 0) run->memory_ = run->memory_ - old + nsize;
    return p;
}

void LuaRun::count_instructions(lua_State* L) {
    if (--host_budget_ < 0) luaL_error(L, "this code ran 2,000,000 instructions without finishing (an endless loop?)");
}

namespace {
// Opens the libraries a program may use: no io, os, debug, package, no
// binary chunks, and deterministic print, tostring, pairs and math.random.
void open_sandbox(lua_State* L, std::uint64_t seed) {
    // The globals in a table made large enough at once (the libraries, the
    // API and the prelude put about a hundred names there).
    lua_createtable(L, 0, 128);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table}, {LUA_STRLIBNAME, luaopen_string},
                             {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8}};
    for (const luaL_Reg& lib : libs) {
        luaL_requiref(L, lib.name, lib.func, 1);
        lua_pop(L, 1);
    }
    for (const char* name : {"dofile", "loadfile", "collectgarbage", "load", "require"}) {
        lua_pushnil(L);
        lua_setglobal(L, name);
    }
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, static_cast<lua_Integer>(seed));
    lua_call(L, 1, 0);
    lua_pop(L, 1);
}
}  // namespace

LuaRun::LuaRun(const Settings& settings, const std::string& text, const std::string* binary) : Run(settings) {
    listings_.push_back({"your program", {}});
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        listings_[0].lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    uses_join_ = text.find("join") != std::string::npos;
    L_ = lua_newstate(allocate, this);
    *static_cast<LuaRun**>(lua_getextraspace(L_)) = this;
    lua_gc(L_, LUA_GCSTOP);  // setup makes only what the run keeps: no garbage to look for yet
    open_sandbox(L_, settings.seed);
    open_api(L_);
    // The prelude is compiled once per process; each run loads its bytecode.
    static const std::string prelude = [] {
        lua_State* P = luaL_newstate();
        if (luaL_loadbufferx(P, kPrelude, std::strlen(kPrelude), "=prelude", "t") != LUA_OK) throw std::logic_error(lua_tostring(P, -1));
        std::string out = dump(P, -1);
        lua_close(P);
        return out;
    }();
    if (luaL_loadbufferx(L_, prelude.data(), prelude.size(), "=prelude", "b") != LUA_OK) throw std::logic_error(lua_tostring(L_, -1));
    lua_call(L_, 0, 0);
    // Everything the libraries and the prelude put in the globals is shared
    // by every task as it is; the rest is copied into each task.
    lua_createtable(L_, 0, 128);
    lua_pushglobaltable(L_);
    lua_pushnil(L_);
    while (lua_next(L_, -2) != 0) {
        if (lua_istable(L_, -1) || lua_isfunction(L_, -1)) {
            lua_pushvalue(L_, -1);
            lua_pushboolean(L_, 1);
            lua_rawset(L_, -6);
        }
        lua_pop(L_, 1);
    }
    lua_pop(L_, 1);
    frozen_ = luaL_ref(L_, LUA_REGISTRYINDEX);
    values_ = Values(frozen_);
    lua_pushnil(L_);
    values_.encode(L_, -1);  // box 0 is nil (Values::nil)
    lua_pop(L_, 1);
    lua_sethook(L_, preempt, LUA_MASKCOUNT, kHookEvery);
    lua_gc(L_, LUA_GCRESTART);
    lua_gc(L_, LUA_GCSTEP, -kGcGrace);

    sched().on_exit([this](engine::Scheduler&, engine::TaskId task, const std::string& reason) {
        if (reason != "normal" && handled(task)) handled_.insert(task);
    });

    // The top level is the task "main" (Go's main goroutine).
    std::string compile_error;
    const int loaded = binary ? luaL_loadbufferx(L_, binary->data(), binary->size(), "=program", "b")
                              : luaL_loadbufferx(L_, text.data(), text.size(), "=program", "t");
    if (loaded != LUA_OK) {
        compile_error = lua_tostring(L_, -1) ? lua_tostring(L_, -1) : "the program does not compile";
        error_ = compile_error_text(text, compile_error);
        compile_error_ = true;
        lua_pop(L_, 1);
        lua_pushstring(L_, compile_error.c_str());
        lua_pushcclosure(L_, +[](lua_State* L) -> int { return lua_error((lua_pushvalue(L, lua_upvalueindex(1)), L)); }, 1);
    }
    lua_State* main = lua_newthread(L_);
    const int ref = luaL_ref(L_, LUA_REGISTRYINDEX);
    lua_xmove(L_, main, 1);
    // main is a task like any other: self() there gives its handle (t:join
    // and mailboxes it has not: it is no actor).
    const auto main_id = rt().task_count();
    slots_.push_back(Slot{Kind::Task, nullptr, static_cast<engine::TaskId>(main_id)});
    task_slot_.resize(std::max(task_slot_.size(), main_id + 1), -1);
    task_slot_[main_id] = static_cast<int>(slots_.size()) - 1;
    rt().spawn("main", 0, [this, ref](Ctx& ctx) { return task_main(ctx, ref, 0, nullptr); });
}

LuaRun::~LuaRun() {
    ended_ = true;  // lua_close may run finalizers: the program's functions refuse them
    rt_.reset();    // the tasks' frames first: they hold Lua threads
    if (L_) lua_close(L_);
}

engine::Stm& LuaRun::stm() {
    if (!stm_) {
        stm_ = std::make_unique<engine::Stm>();
        rt().add(*stm_);
    }
    return *stm_;
}

engine::Links& LuaRun::links() {
    if (!links_) {
        links_ = std::make_unique<engine::Links>(rt());
        rt().add(*links_);
    }
    return *links_;
}

engine::TaskId LuaRun::current_task() const { return sched().current(); }

// [SECTION] Errors

namespace {
// "program:7: msg" -> line 7, "msg"; the prelude's own lines are not the user's.
int split_position(std::string& message) {
    const std::string prefix = "program:";
    const auto at = message.find(prefix);
    if (at != 0) return 0;
    std::size_t i = prefix.size();
    int line = 0;
    while (i < message.size() && message[i] >= '0' && message[i] <= '9') line = line * 10 + (message[i++] - '0');
    if (i + 1 < message.size() && message[i] == ':' && message[i + 1] == ' ') {
        message.erase(0, i + 2);
        return line;
    }
    return 0;
}

int current_line(lua_State* T) {
    lua_Debug ar;
    for (int level = 0; lua_getstack(T, level, &ar); ++level) {
        lua_getinfo(T, "Sl", &ar);
        if (ar.currentline > 0 && std::strcmp(ar.source, "=program") == 0) return ar.currentline;
    }
    return 0;
}
}  // namespace

void LuaRun::fail(engine::TaskId task, const std::string& message, int line) {
    if (error_) return;
    ProgramError e;
    e.line = line;
    e.message = (task == engine::kNone ? std::string() : rt().task_name(task) + ": ") + message;
    error_ = std::move(e);
}

// [SECTION] Tasks

namespace {
// A step on the task's own state that says what it is (Lua computing for a
// while, the top level ending).
class MarkStep final : public engine::Step {
public:
    MarkStep(Ctx& ctx, const char* what) : Step(ctx, engine::kNone), what_(what) {}
    engine::StepResult run(engine::Scheduler& sched) override {
        sched.emit(engine::EventKind::Compute, engine::kNone, 0, {.note = engine::Note::Mark, .label = sched.label(what_)});
        return engine::StepResult::Done;
    }
    engine::EventKind kind() const override { return engine::EventKind::Compute; }
    void await_resume() const {}

private:
    const char* what_;
};

}  // namespace

void LuaRun::push_spawn(lua_State* L, int index, int nargs, std::string name, bool actor, engine::Promise* result, bool link) {
    index = lua_absindex(L, index);
    if (!unnamed_.empty()) name_objects(L);
    lua_State* T = lua_newthread(L);
    const int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    // The new task's function and arguments are its own copies.
    for (int i = 0; i <= nargs; ++i) clone(L, index + i, frozen_);
    lua_xmove(L, T, nargs + 1);
    const auto id = static_cast<engine::TaskId>(rt().task_count());
    if (task_slot_.size() <= static_cast<std::size_t>(id)) task_slot_.resize(static_cast<std::size_t>(id) + 1, -1);
    Slot s{actor ? Kind::Actor : Kind::Task, nullptr, id};
    engine::Mailbox* box = nullptr;
    if (actor) {
        links();
        owned_.push_back(std::make_unique<engine::Mailbox>(name));
        box = static_cast<engine::Mailbox*>(owned_.back().get());
        rt().add(*box);
        s.object = box;
        box->set_owner(id);
    }
    if (uses_join_ && !result) {
        owned_.push_back(std::make_unique<engine::Promise>(name + " ends"));
        result = static_cast<engine::Promise*>(owned_.back().get());
        rt().add(*result);
    }
    s.done = result;
    slots_.push_back(s);
    const int slot_index = static_cast<int>(slots_.size()) - 1;
    task_slot_[static_cast<std::size_t>(id)] = slot_index;
    if (box) links().attach(id, *box);
    if (link) links().link(current_task(), id);  // before the child's first step: it cannot end unlinked
    rt().spawn(std::move(name), 0, [this, ref, nargs, result](Ctx& ctx) { return task_main(ctx, ref, nargs, result); });
    push_slot(L, slot_index);
}

engine::Task LuaRun::task_main(Ctx& ctx, int thread_ref, int nargs, engine::Promise* result) {
    lua_rawgeti(L_, LUA_REGISTRYINDEX, thread_ref);
    lua_State* T = lua_tothread(L_, -1);
    lua_pop(L_, 1);
    std::string panic;
    bool signalled = false;
    const auto steps_before = sched().steps();
    try {
        const int n = co_await drive(ctx, T, nargs, nullptr, nullptr);
        if (result) {
            const std::int64_t value = n > 0 ? encode(T, -n) : values_.nil();
            lua_settop(T, 0);
            co_await result->set(ctx, value);
        } else if (ctx.id() == 0 && sched().steps() == steps_before) {
            // The top level ended without a step: one step marks its end, so
            // that the run has a first step and ends like any other. Its
            // marker stands on the program's last line.
            ctx.at(std::max(0, static_cast<int>(listings_[0].lines.size()) - 1));
            while (ctx.line() > 0 && listings_[0].lines[static_cast<std::size_t>(ctx.line())].find_first_not_of(" \t\r") == std::string::npos) {
                ctx.at(ctx.line() - 1);
            }
            co_await MarkStep(ctx, "ends its top level");
        }
    } catch (const ExitSignal& s) {
        panic = s.what();
        signalled = true;
    } catch (const Panic& p) {
        panic = p.what();
    }
    luaL_unref(L_, LUA_REGISTRYINDEX, thread_ref);
    if (!panic.empty() && ctx.id() == 0 && sched().steps() == steps_before) {
        co_await MarkStep(ctx, "the program stops");  // a first step, as above
    }
    if (signalled) throw ExitSignal(panic);  // exit(pid, reason): the reason as given
    if (!panic.empty()) {
        if (panic.rfind("line ", 0) != 0) panic = "line " + std::to_string(ctx.line() + 1) + ": " + panic;  // an engine panic
        if (!error_) fail(ctx.id(), panic, ctx.line() + 1);
        throw Panic(panic);
    }
}

void LuaRun::push_fiber(lua_State* L, int index, std::string name) {
    index = lua_absindex(L, index);
    if (!unnamed_.empty()) name_objects(L);
    owned_.push_back(std::make_unique<engine::Fiber>(name));
    auto* f = static_cast<engine::Fiber*>(owned_.back().get());
    rt().add(*f);
    slots_.push_back({Kind::Fiber, f});
    const int slot_index = static_cast<int>(slots_.size()) - 1;
    lua_State* T = lua_newthread(L);
    const int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    clone(L, index, frozen_);
    lua_xmove(L, T, 1);
    const auto id = static_cast<engine::TaskId>(rt().task_count());
    fiber_of_[id] = f;
    rt().spawn(std::move(name), 0, [this, ref, f](Ctx& ctx) { return fiber_main(ctx, ref, f); });
    push_slot(L, slot_index);
}

// A fiber's body: waits for the first resume, runs with its value, and hands
// control back for good at the end.
engine::Task LuaRun::fiber_main(Ctx& ctx, int thread_ref, engine::Fiber* fiber) {
    lua_rawgeti(L_, LUA_REGISTRYINDEX, thread_ref);
    lua_State* T = lua_tothread(L_, -1);
    lua_pop(L_, 1);
    std::string panic;
    try {
        const std::optional<std::int64_t> first = co_await fiber->start(ctx);
        push(T, first ? *first : values_.nil());
        co_await drive(ctx, T, 1, nullptr, nullptr);
    } catch (const Panic& p) {
        panic = p.what();
    }
    luaL_unref(L_, LUA_REGISTRYINDEX, thread_ref);
    co_await fiber->finish(ctx);
    if (!panic.empty()) {
        if (!error_) fail(ctx.id(), panic, ctx.line() + 1);
        throw Panic(panic);
    }
}

void LuaRun::push_loop(lua_State* L, int index) {
    owned_.push_back(std::make_unique<engine::EventLoop>("loop"));
    auto* loop = static_cast<engine::EventLoop*>(owned_.back().get());
    rt().add(*loop);
    slots_.push_back({Kind::Loop, loop});
    const int slot_index = static_cast<int>(slots_.size()) - 1;
    clone(L, index, frozen_);  // the script: the loop's own copy
    const int fn = luaL_ref(L, LUA_REGISTRYINDEX);
    if (listings_.size() == 1) {  // the loop's phases and its pool's worker: listings of their own
        listings_.push_back(loop::loop_listing("event loop"));
        listings_.push_back(loop::pool_listing());
    }
    rt().spawn("loop", 1, [this, loop, fn](Ctx& ctx) { return loop_main(ctx, loop, fn); });
    rt().spawn("pool", 2, [this, loop](Ctx& ctx) { return pool_main(ctx, loop); });
    push_slot(L, slot_index);
}

engine::Task LuaRun::loop_main(Ctx& ctx, engine::EventLoop* loop, int fn_ref) {
    lua_rawgeti(L_, LUA_REGISTRYINDEX, fn_ref);
    auto main = loop_callback(L_, -1);
    loop->at(code_of(L_, -1));
    lua_pop(L_, 1);
    co_await loop->run(ctx, "main script", std::move(main));
}

engine::Task LuaRun::pool_main(Ctx& ctx, engine::EventLoop* loop) { co_await loop->work_pool(ctx); }

std::function<void(engine::EventLoop&)> LuaRun::loop_callback(lua_State* L, int index) {
    lua_pushvalue(L, index);
    const int ref = luaL_ref(L, LUA_REGISTRYINDEX);  // kept until the run ends: timers fire again
    return [this, ref](engine::EventLoop& loop) {
        engine::EventLoop* outer = std::exchange(active_loop_, &loop);
        lua_rawgeti(L_, LUA_REGISTRYINDEX, ref);
        std::string error;
        if (!host_call(0, 0, error)) {
            check_failures_.push_back("a callback failed: " + error);
            loop.log("error: " + error);
        }
        active_loop_ = outer;
    };
}

engine::Place LuaRun::code_of(lua_State* L, int index) {
    lua_Debug ar;
    lua_pushvalue(L, index);
    lua_getinfo(L, ">S", &ar);
    if (ar.linedefined <= 0 || std::strcmp(ar.source, "=program") != 0) return engine::kNowhere;
    return {0, ar.linedefined - 1, ar.linedefined - 1, ar.lastlinedefined - 1};
}

std::function<void(engine::EventLoop&, const std::string&)> LuaRun::data_callback(lua_State* L, int index) {
    lua_pushvalue(L, index);
    const int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return [this, ref](engine::EventLoop& loop, const std::string& data) {
        engine::EventLoop* outer = std::exchange(active_loop_, &loop);
        lua_rawgeti(L_, LUA_REGISTRYINDEX, ref);
        if (data.empty()) lua_pushnil(L_);  // the end of the stream
        else lua_pushlstring(L_, data.data(), data.size());
        std::string error;
        if (!host_call(1, 0, error)) {
            check_failures_.push_back("a callback failed: " + error);
            loop.log("error: " + error);
        }
        active_loop_ = outer;
    };
}

void LuaRun::log(const std::string& line) {
    active_loop_->log(line);
    output_.push_back(line);
}

// Resumes T until it returns; each primitive it yields becomes a step. Returns
// how many results T left on its stack.
engine::Co<int> LuaRun::drive(Ctx& ctx, lua_State* T, int nargs, engine::Tx* tx, std::vector<int>* deferred) {
    for (;;) {
        if (out_of_memory_) throw Panic("the run ran out of memory (over 64 MB) and stops");
        int nres = 0;
        host_budget_ = kHostBudget;
        ++guarded_;
        const int status = lua_resume(T, L_, nargs, &nres);
        --guarded_;
        if (!unnamed_.empty()) name_objects(T);
        if (status == LUA_OK) co_return nres;
        if (status != LUA_YIELD) {
            std::string message = lua_type(T, -1) == LUA_TSTRING ? lua_tostring(T, -1) : display(T, -1);
            if (status == LUA_ERRMEM || out_of_memory_) {
                out_of_memory_ = true;
                message = "the run ran out of memory (over 64 MB) and stops";
            }
            const int line = split_position(message);
            fail(ctx.id(), message, line);
            throw Panic(line > 0 ? "line " + std::to_string(line) + ": " + message : message);
        }
        ctx.at(std::max(0, current_line(T) - 1));
        if (nres == 0) {  // the hook: a long computation between primitives
            co_await MarkStep(ctx, "computes (10,000 Lua instructions without a step)");
            nargs = 0;
            continue;
        }
        const int base = lua_gettop(T) - nres + 1;
        const auto op = static_cast<Op>(lua_tointeger(T, base));
        nargs = co_await perform(ctx, T, op, base, nres, tx, deferred);
        if (!awaiting_.empty()) recheck_awaits();
    }
}

// Names objects made since the last look after the locals (and globals) that
// hold them: `local m = mutex()` shows as "m".
void LuaRun::name_objects(lua_State* T) {
    const auto take = [&](const std::string& name) {
        if (!lua_isuserdata(T, -1) || !lua_getmetatable(T, -1)) return;
        lua_pop(T, 1);
        auto* h = static_cast<Handle*>(lua_touserdata(T, -1));
        const auto it = std::find(unnamed_.begin(), unnamed_.end(), h->slot);
        if (it == unnamed_.end()) return;
        unnamed_.erase(it);
        Slot& s = slot(h->slot);
        if (!s.object) return;
        std::string unique = name;
        for (int n = 2; std::any_of(owned_.begin(), owned_.end(), [&](const auto& o) { return o.get() != s.object && o->name() == unique; }); ++n) {
            unique = name + std::to_string(n);
        }
        s.object->rename(unique);
    };
    const auto look = [&](const std::string& name) {
        take(name);
        if (!lua_istable(T, -1)) return;
        const auto n = static_cast<lua_Integer>(std::min<std::size_t>(lua_rawlen(T, -1), 64));
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(T, -1, i);
            take(name + "[" + std::to_string(i) + "]");
            lua_pop(T, 1);
        }
    };
    lua_Debug ar;
    for (int level = 0; lua_getstack(T, level, &ar) && !unnamed_.empty(); ++level) {
        for (int i = 1;; ++i) {
            const char* name = lua_getlocal(T, &ar, i);
            if (!name) break;
            if (name[0] != '(') look(name);
            lua_pop(T, 1);
        }
    }
    if (unnamed_.empty()) return;
    lua_pushglobaltable(T);
    lua_pushnil(T);
    while (lua_next(T, -2) != 0) {
        if (lua_type(T, -2) == LUA_TSTRING && !unnamed_.empty()) look(lua_tostring(T, -2));
        lua_pop(T, 1);
    }
    lua_pop(T, 1);
}

}  // namespace lua
}  // namespace such::scenes


namespace such::scenes {
namespace lua {

namespace {
// Under protection (lua_pcall): Lua errors there, out of memory included,
// are caught; on the host outside one they would abort the process.
int l_encode(lua_State* L) {
    lua_pushinteger(L, LuaRun::of(L).values().encode(L, 1));
    return 1;
}
int l_decode(lua_State* L) {
    LuaRun::of(L).values().push(L, lua_tointeger(L, 1));
    return 1;
}
// fn, handle -> handle of fn(value)
int l_call_coded(lua_State* L) {
    LuaRun& run = LuaRun::of(L);
    run.values().push(L, lua_tointeger(L, 2));
    lua_replace(L, 2);
    lua_call(L, 1, 1);
    lua_pushinteger(L, run.values().encode(L, -1));
    return 1;
}
}  // namespace

std::int64_t LuaRun::encode(lua_State* T, int index) {
    lua_pushvalue(T, index);
    lua_xmove(T, L_, 1);
    lua_pushcfunction(L_, l_encode);
    lua_insert(L_, -2);
    ++guarded_;
    const int status = lua_pcall(L_, 1, 1, 0);
    --guarded_;
    if (status != LUA_OK) {
        out_of_memory_ |= status == LUA_ERRMEM;
        fail(current_task(), lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1) : "a value could not be copied", 0);
        lua_pop(L_, 1);
        return values_.nil();
    }
    const std::int64_t h = lua_tointeger(L_, -1);
    lua_pop(L_, 1);
    return h;
}

void LuaRun::push(lua_State* T, std::int64_t handle) {
    if (!Values::is_box(handle)) {
        lua_pushinteger(T, handle);
        return;
    }
    lua_pushcfunction(L_, l_decode);
    lua_pushinteger(L_, handle);
    ++guarded_;
    const int status = lua_pcall(L_, 1, 1, 0);
    --guarded_;
    if (status != LUA_OK) {
        out_of_memory_ |= status == LUA_ERRMEM;
        lua_pop(L_, 1);
        lua_pushnil(L_);
    }
    lua_xmove(L_, T, 1);
}

bool LuaRun::host_call(int nargs, int nresults, std::string& error, bool coded) {
    if (coded) {  // fn, handle: call fn with the value, give back a handle
        lua_pushcfunction(L_, l_call_coded);
        lua_insert(L_, -3);
        nargs = 2;
    }
    ++host_depth_;
    ++guarded_;
    host_budget_ = kHostBudget;
    const int status = lua_pcall(L_, nargs, nresults, 0);
    --guarded_;
    --host_depth_;
    if (status == LUA_OK) return true;
    error = lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1) : display(L_, -1);
    const int line = split_position(error);
    if (line > 0) error = "line " + std::to_string(line) + ": " + error;
    lua_pop(L_, 1);
    return false;
}

bool LuaRun::holds(int fn_ref) {
    lua_rawgeti(L_, LUA_REGISTRYINDEX, fn_ref);
    std::string error;
    if (!host_call(0, 1, error)) {
        fail(current_task(), "an await condition failed: " + error, 0);
        return false;
    }
    const bool yes = lua_toboolean(L_, -1);
    lua_pop(L_, 1);
    return yes;
}

void LuaRun::recheck_awaits() {
    for (const Awaiting& a : awaiting_) {
        if (sched().task(a.task).state == engine::TaskState::Blocked && holds(a.fn_ref)) sched().wake(a.task);
    }
}

void LuaRun::push_message(lua_State* L, const engine::Message& m) {
    if ((m.tag == "EXIT" || m.tag == "DOWN") && m.value == 0) {
        // A notice from the runtime: {"EXIT", who, reason}.
        lua_createtable(L, 3, 0);
        lua_pushstring(L, m.tag.c_str());
        lua_rawseti(L, -2, 1);
        push_task(L, m.from);
        lua_rawseti(L, -2, 2);
        lua_pushstring(L, m.note.c_str());
        lua_rawseti(L, -2, 3);
        return;
    }
    push(L, m.value);
}

void LuaRun::push_task(lua_State* L, engine::TaskId task) {
    const auto t = static_cast<std::size_t>(task);
    if (task < 0 || t >= task_slot_.size() || task_slot_[t] < 0) {
        lua_pushnil(L);
        return;
    }
    push_slot(L, task_slot_[t]);
}

// [SECTION] Outcomes

void LuaRun::evaluate_checks() const {
    if (checked_ || !over()) return;
    checked_ = true;
    auto* self = const_cast<LuaRun*>(this);
    for (const Check& c : checks_) {
        lua_rawgeti(L_, LUA_REGISTRYINDEX, c.ref);
        std::string error;
        if (!self->host_call(0, 1, error)) {
            check_failures_.push_back((c.outcome_fn ? "the outcome function failed: " : "an invariant failed: ") + error);
            continue;
        }
        if (c.outcome_fn) user_outcome_ = display_raw(L_, -1);
        else if (!lua_toboolean(L_, -1)) check_failures_.push_back("invariant violated: " + c.message);
        lua_pop(L_, 1);
    }
}

namespace {
std::string joined(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}
}  // namespace

// The final state: the program's outcome function, else every shared
// variable, atomic and tvar, else what it printed.
std::string LuaRun::summary() const {
    evaluate_checks();
    if (!user_outcome_.empty()) return user_outcome_;
    std::vector<std::string> parts;
    for (const auto& o : owned_) {
        const auto k = o->kind();
        if (k == engine::ObjectKind::Variable || k == engine::ObjectKind::Atomic || k == engine::ObjectKind::TVar) {
            parts.push_back(o->name() + " = " + o->snapshot().value);
        }
    }
    if (parts.empty()) return output_.empty() ? "" : "printed " + joined(output_, " / ");
    return joined(parts, ", ");
}

// Let it crash: an actor's death is handled when an actor linked to it traps
// exits, or one monitors it: they get the notice. Asked as the task ends,
// before the links forget it.
bool LuaRun::handled(engine::TaskId task) const {
    if (!links_) return false;
    const engine::Links::Graph g = links_->graph();
    for (const auto& [a, b] : g.links) {
        if ((a == task && g.trapping.count(b)) || (b == task && g.trapping.count(a))) return true;
    }
    return std::any_of(g.monitors.begin(), g.monitors.end(), [&](const auto& m) { return m.second == task; });
}

std::vector<std::string> LuaRun::problems() const {
    std::vector<std::string> out;
    evaluate_checks();
    for (const auto& p : sched().panics()) {
        if (!handled_.count(p.task)) out.push_back(rt().task_name(p.task) + " failed: " + p.message);
    }
    // Said once: the task that ran out of memory says so, with its line.
    const auto says_memory = [](const std::string& p) { return p.find("ran out of memory") != std::string::npos; };
    if (out_of_memory_ && std::none_of(out.begin(), out.end(), says_memory)) out.insert(out.begin(), "the run ran out of memory (over 64 MB)");
    if (sched().verdict() == engine::Verdict::Deadlock) out.push_back("deadlock: " + verdict_words(sched()));
    out.insert(out.end(), check_failures_.begin(), check_failures_.end());
    return out;
}

Outcome LuaRun::scene_outcome() const {
    if (!over()) {
        // A program that does not compile says so before its one step.
        if (compile_error_) return {false, true, "does not compile: " + error_->text()};
        // A task that failed while the others go on (one may fail before
        // the first step: its code up to its first step runs as it starts).
        for (const auto& p : sched().panics()) {
            if (!handled_.count(p.task)) return {false, true, rt().task_name(p.task) + " failed: " + p.message};
        }
        return {false, false, sched().steps() == 0 ? "not started" : "running"};
    }
    const std::vector<std::string> bad = problems();
    const std::string state = summary();
    if (bad.empty()) return {true, false, state.empty() ? "finished" : "finished: " + state};
    // What went wrong, in the order it happened (past three problems, how many more), then the final
    // state: what the explorer's outcome says, which puts the state first and sorts the problems.
    constexpr std::size_t kShown = 3;
    std::string headline;
    for (std::size_t i = 0; i < std::min(bad.size(), kShown); ++i) headline += (i ? "; " : "") + bad[i];
    if (bad.size() > kShown) headline += " (and " + std::to_string(bad.size() - kShown) + " more)";
    return {true, true, state.empty() ? headline : headline + "; " + state};
}

std::string LuaRun::outcome_key() const {
    if (!over()) return "running";
    std::string key = summary();
    // The final state, not the order things went wrong in: two tasks that
    // both fail end alike whichever failed first.
    std::vector<std::string> bad = problems();
    std::sort(bad.begin(), bad.end());
    for (const std::string& p : bad) key += (key.empty() ? "" : "; ") + p;
    return key.empty() ? "finished" : key;
}

}  // namespace lua

// [SECTION] The scene

std::string ProgramError::text() const {
    if (line <= 0) return message;
    return "line " + std::to_string(line) + (column > 0 ? ", column " + std::to_string(column) : "") + ": " + message;
}


// Lua says "program:3: unexpected symbol near ')'": the line, and the column
// of the token it names, found on that line.
ProgramError lua::compile_error_text(std::string_view text, std::string message) {
    ProgramError e;
    const std::string prefix = "program:";
    if (message.rfind(prefix, 0) == 0) {
        std::size_t i = prefix.size();
        while (i < message.size() && message[i] >= '0' && message[i] <= '9') e.line = e.line * 10 + (message[i++] - '0');
        if (i + 1 < message.size() && message[i] == ':') message.erase(0, i + 2);
    }
    e.message = message;
    const auto near = message.find("near '");
    if (e.line > 0 && near != std::string::npos) {
        const auto close = message.find('\'', near + 6);
        const std::string token = message.substr(near + 6, close == std::string::npos ? std::string::npos : close - near - 6);
        std::size_t start = 0;
        for (int l = 1; l < e.line && start != std::string_view::npos; ++l) {
            start = text.find('\n', start);
            if (start != std::string_view::npos) ++start;
        }
        if (start != std::string_view::npos && !token.empty()) {
            // Lua names the token, not where it stands. The token it stopped at is the first of the line's
            // occurrences at which the text, cut just after it, fails with the same message ("x = = 3":
            // the second '='; cut after the first, the text ends too early instead). None: the first.
            const std::string_view line = text.substr(start, text.find('\n', start) - start);
            const std::string full = std::string(text.substr(0, start)) + std::string(line);
            lua_State* L = luaL_newstate();
            constexpr int kTries = 64;  // a line with more of the token than that: the first
            int tries = 0;
            for (auto at = line.find(token); at != std::string_view::npos && e.column == 0; at = line.find(token, at + 1)) {
                const std::size_t cut = start + at + token.size();
                const bool same = ++tries <= kTries && luaL_loadbufferx(L, full.data(), cut, "=program", "t") != LUA_OK &&
                                  lua_isstring(L, -1) && std::string_view(lua_tostring(L, -1)).ends_with(":" + std::to_string(e.line) + ": " + message);
                if (same || tries > kTries) e.column = static_cast<int>(same ? at : line.find(token)) + 1;
                lua_settop(L, 0);
            }
            if (e.column == 0 && line.find(token) != std::string_view::npos) e.column = static_cast<int>(line.find(token)) + 1;
            lua_close(L);
        }
    }
    return e;
}

namespace {
// Compiles once: every run (and every explored execution) loads the binary.
std::shared_ptr<const std::string> compile(std::string_view text, ProgramError* error) {
    lua_State* L = luaL_newstate();
    std::shared_ptr<const std::string> out;
    if (luaL_loadbufferx(L, text.data(), text.size(), "=program", "t") == LUA_OK) {
        out = std::make_shared<const std::string>(lua::dump(L, -1));
    } else if (error) {
        *error = lua::compile_error_text(text, lua_tostring(L, -1));
    }
    lua_close(L);
    return out;
}
}  // namespace

bool check_program(std::string_view text, ProgramError& error) { return compile(text, &error) != nullptr; }

Scene program_scene(std::string text) {
    Scene s;
    s.id = "play";
    s.title = "Your program";
    s.section = "Playground";
    s.row = {"your program", "tasks on the simulator", "the policy you pick", "what your program uses", "1 to 8 virtual cores", "(yours)"};
    s.slide = "A program you wrote: each task is a Lua coroutine, and each call to a primitive is one step of the engine.";
    s.notes = "Step it, pick who runs (manual), or ask the explorer for every way it can go wrong.";
    s.claims = [](const Settings&) { return Claim{false, "no assertion, invariant, task error or deadlock fails"}; };
    auto source = std::make_shared<const std::string>(std::move(text));
    auto binary = compile(*source, nullptr);
    s.make = [source, binary](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<lua::LuaRun>(settings, *source, binary.get());
    };
    return s;
}

const ProgramError* program_error(const Run& run) {
    const lua::LuaRun* p = run.as_program();
    return p ? p->error() : nullptr;
}

const std::vector<std::string>* program_output(const Run& run) {
    const lua::LuaRun* p = run.as_program();
    return p ? &p->output() : nullptr;
}

}  // namespace such::scenes
