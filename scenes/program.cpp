// A user program's run: a fresh Lua state per run, one engine task per Lua
// task, and the driver that performs each primitive a Lua task yields as the
// engine step a C++ scene would take.
//
// Index
//   [SECTION] The Lua state    - a capped allocator, a preempting hook, the sandbox
//   [SECTION] Errors           - "line 7: message" out of Lua's messages
//   [SECTION] Tasks            - spawning, the driver, naming objects
//   [SECTION] Steps            - one case per primitive
//   [SECTION] Outcomes         - failures, invariants, the explorer's key
//   [SECTION] The scene        - program_scene, check_program
#include "scenes/program.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "engine/atomic.hpp"
#include "engine/channel.hpp"
#include "engine/condvar.hpp"
#include "engine/event_loop.hpp"
#include "engine/future.hpp"
#include "engine/mutex.hpp"
#include "engine/semaphore.hpp"
#include "scenes/lua_run.hpp"

namespace such::scenes {
namespace lua {

using engine::Ctx;
using engine::Panic;

// [SECTION] The Lua state

namespace {
constexpr std::size_t kMemoryCap = std::size_t{64} << 20;
constexpr int kHookEvery = 10000;       // instructions between preemption points
constexpr long kHostBudget = 200;       // hook periods a host call may run (2 M instructions)

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
    if (nsize == 0) {
        run->memory_ -= old;
        std::free(ptr);
        return nullptr;
    }
    if (nsize > old && run->memory_ + (nsize - old) > kMemoryCap) {
        run->out_of_memory_ = true;
        // Under protection the failure is a Lua error; on the host it would
        // abort, so the host gets its few bytes and the run ends at the next step.
        if (run->guarded_ > 0) return nullptr;
    }
    void* p = std::realloc(ptr, nsize);
    if (p) run->memory_ = run->memory_ - old + nsize;
    return p;
}

void LuaRun::count_instructions(lua_State* L) {
    if (--host_budget_ < 0) luaL_error(L, "this code ran 2,000,000 instructions without finishing (an endless loop?)");
}

namespace {
int write_bytes(lua_State*, const void* p, std::size_t size, void* out) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(p), size);
    return 0;
}

// Opens the libraries a program may use: no io, os, debug, package, no
// binary chunks, and deterministic print, tostring, pairs and math.random.
void open_sandbox(lua_State* L, std::uint64_t seed) {
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
        std::string out;
        lua_dump(P, write_bytes, &out, 0);
        lua_close(P);
        return out;
    }();
    if (luaL_loadbufferx(L_, prelude.data(), prelude.size(), "=prelude", "b") != LUA_OK) throw std::logic_error(lua_tostring(L_, -1));
    lua_call(L_, 0, 0);
    // Everything the libraries and the prelude put in the globals is shared
    // by every task as it is; the rest is copied into each task.
    lua_newtable(L_);
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
    rt().spawn("main", 0, [this, ref](Ctx& ctx) { return task_main(ctx, ref, 0, nullptr); });
}

LuaRun::~LuaRun() {
    rt_.reset();  // the tasks' frames first: they hold Lua threads
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
// The end of a task in a program with actors: its own step, touching many
// objects, because ending delivers exit notices and kills to the actors
// linked to it and monitoring it. Without it the notices would ride inside
// the task's last step, which declares only its own object, and the explorer
// would take the notice's arrival as independent of everything (and miss
// orders of it).
// A step on the task's own state that says what it is (Lua computing for a
// while, the top level ending).
class MarkStep final : public engine::Step {
public:
    MarkStep(Ctx& ctx, const char* what) : Step(ctx, engine::kNone), what_(what) {}
    engine::StepResult run(engine::Scheduler& sched) override {
        sched.emit(engine::EventKind::Compute, engine::kNone, 0, what_);
        return engine::StepResult::Done;
    }
    engine::EventKind kind() const override { return engine::EventKind::Compute; }
    void await_resume() const {}

private:
    const char* what_;
};

class EndStep final : public engine::Step {
public:
    EndStep(Ctx& ctx, engine::ObjectId links, bool failed) : Step(ctx, links), failed_(failed) {}
    engine::StepResult run(engine::Scheduler& sched) override {
        sched.emit(engine::EventKind::Compute, object_, 0, failed_ ? "dies: its links and monitors are told" : "ends: its links and monitors are told");
        return engine::StepResult::Done;
    }
    engine::EventKind kind() const override { return engine::EventKind::Compute; }
    engine::Access access() const override { return engine::Access::Many; }
    void await_resume() const {}

private:
    bool failed_;
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
    s.named = true;
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
    } catch (const Panic& p) {
        panic = p.what();
    }
    luaL_unref(L_, LUA_REGISTRYINDEX, thread_ref);
    if (!panic.empty() && ctx.id() == 0 && sched().steps() == steps_before) {
        co_await MarkStep(ctx, "the program stops");  // a first step, as above
    }
    if (links_) co_await EndStep(ctx, links_->id(), !panic.empty());
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
    slots_.back().named = true;
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
    slots_.back().named = true;
    const int slot_index = static_cast<int>(slots_.size()) - 1;
    clone(L, index, frozen_);  // the script: the loop's own copy
    const int fn = luaL_ref(L, LUA_REGISTRYINDEX);
    rt().spawn("loop", 0, [this, loop, fn](Ctx& ctx) { return loop_main(ctx, loop, fn); });
    rt().spawn("pool", 0, [this, loop](Ctx& ctx) { return pool_main(ctx, loop); });
    push_slot(L, slot_index);
}

engine::Task LuaRun::loop_main(Ctx& ctx, engine::EventLoop* loop, int fn_ref) {
    lua_rawgeti(L_, LUA_REGISTRYINDEX, fn_ref);
    auto main = loop_callback(L_, -1);
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
        s.named = true;
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
        sched.emit(engine::EventKind::Write, object_, 0, what_);
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
            sched.emit(engine::EventKind::Read, engine::kNone, 1, "awaits: the condition holds");
            std::erase_if(run_.awaiting_, [&](const LuaRun::Awaiting& a) { return a.task == sched.current(); });
            return engine::StepResult::Done;
        }
        sched.emit(engine::EventKind::Read, engine::kNone, 0, "awaits: not yet, it waits");
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
        slots_.back().named = true;
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
                fail(current_task(), "a continuation failed: " + error, 0);
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
        if (!f) throw Panic("suspend is called inside a fiber's body (see fiber)");
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
    if (out_of_memory_) out.push_back("the run ran out of memory (over 64 MB)");
    for (const auto& p : sched().panics()) {
        if (!handled_.count(p.task)) out.push_back(rt().task_name(p.task) + " failed: " + p.message);
    }
    if (sched().verdict() == engine::Verdict::Deadlock) out.push_back("deadlock: " + sched().verdict_detail());
    out.insert(out.end(), check_failures_.begin(), check_failures_.end());
    return out;
}

Outcome LuaRun::outcome() const {
    if (!over()) {
        // A program that does not compile says so before its one step.
        if (compile_error_) return {false, true, "does not compile: " + error_->text()};
        return {false, false, "running"};
    }
    if (sched().verdict() == engine::Verdict::ReplayDiverged) return {true, true, "the replay diverged: " + sched().verdict_detail()};
    const std::vector<std::string> bad = problems();
    const std::string state = summary();
    if (!bad.empty()) return {true, true, bad.front() + (bad.size() > 1 ? " (and " + std::to_string(bad.size() - 1) + " more)" : "")};
    return {true, false, state.empty() ? "finished" : "finished: " + state};
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

namespace {
}  // namespace

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
        if (start != std::string_view::npos) {
            const std::string_view line = text.substr(start, text.find('\n', start) - start);
            if (const auto at = line.find(token); !token.empty() && at != std::string_view::npos) e.column = static_cast<int>(at) + 1;
        }
    }
    return e;
}

namespace {
int write_chunk(lua_State*, const void* p, std::size_t size, void* out) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(p), size);
    return 0;
}

// Compiles once: every run (and every explored execution) loads the binary.
std::shared_ptr<const std::string> compile(std::string_view text, ProgramError* error) {
    lua_State* L = luaL_newstate();
    std::shared_ptr<const std::string> out;
    if (luaL_loadbufferx(L, text.data(), text.size(), "=program", "t") == LUA_OK) {
        std::string binary;
        lua_dump(L, write_chunk, &binary, 0);
        out = std::make_shared<const std::string>(std::move(binary));
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
    // Actors' receives woken by exit notices are where optimal DPOR still
    // misses outcomes (see Scene::dpor_sound); such programs use sleep sets.
    for (const char* word : {"receive", "spawn", "supervisor", "link", "monitor"}) {
        if (text.find(word) != std::string::npos) s.dpor_sound = false;
    }
    auto source = std::make_shared<const std::string>(std::move(text));
    auto binary = compile(*source, nullptr);
    s.make = [source, binary](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<lua::LuaRun>(settings, *source, binary.get());
    };
    return s;
}

const ProgramError* program_error(const Run& run) {
    const auto* p = dynamic_cast<const lua::LuaRun*>(&run);
    return p ? p->error() : nullptr;
}

const std::vector<std::string>* program_output(const Run& run) {
    const auto* p = dynamic_cast<const lua::LuaRun*>(&run);
    return p ? &p->output() : nullptr;
}

}  // namespace such::scenes
