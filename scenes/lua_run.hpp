// Inside a user program's run: the Lua state, the engine objects the program
// made, and the driver that turns each primitive call into an engine step.
// Shared by scenes/program.cpp (the run and its driver) and
// scenes/program_api.cpp (the functions programs call).
#pragma once
#include <algorithm>
#include <cstdint>
#include <deque>
#include "scenes/lua_api.hpp"
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/actor.hpp"
#include "engine/co.hpp"
#include "engine/event_loop.hpp"
#include "engine/fiber.hpp"
#include "engine/process.hpp"
#include "engine/shared_var.hpp"
#include "engine/stm.hpp"
#include "scenes/lua_arena.hpp"
#include "scenes/lua_values.hpp"
#include "scenes/program.hpp"

namespace such::scenes::lua {

// What a primitive asks the driver for. A primitive yields (op, object, args).
enum class Op {
    Yield, Sleep, Print,
    Read, Write,
    Load, Store, Add, Cas,
    Lock, Unlock, TryLock,
    Acquire, Release,
    Wait, Signal, Broadcast,
    Send, Recv, Close, Select, After,
    Set, Get, Then,
    Atomically, TxRead, TxWrite, Retry, OrElse, Defer,
    ActorSend, Receive, Link, Monitor, TrapExits,
    Join, Await,
    Resume, Suspend, Exit,
    PipeWrite, PipeRead, PipeClose,
    StreamWrite, StreamClose, StreamRead,
};

// What kind of engine object a userdata stands for.
enum class Kind { Shared, Atomic, Mutex, Semaphore, CondVar, Channel, Timer, Promise, TVar, Task, Actor, Fiber, Pipe, Loop, Stream };

struct Handle {  // the userdata's payload
    int slot;    // index into LuaRun::slots_
};

class LuaRun;

// What the program printed, as an object: print is a step on it, so the
// explorer orders prints that race; its view shows the last lines.
class Output final : public engine::Object {
public:
    explicit Output(const std::vector<std::string>& lines) : Object("output", engine::ObjectKind::Variable), lines_(lines) {}
    const char* described() const override { return "what the program printed"; }
    engine::Snapshot snapshot() const override {
        std::string v = std::to_string(lines_.size()) + (lines_.size() == 1 ? " line" : " lines");
        if (!lines_.empty()) v += ", last: " + lines_.back();
        return {v, engine::kNone, {}, engine::kNone};
    }

private:
    const std::vector<std::string>& lines_;
};

// A shared variable, atomic or TVar that shows its Lua value, not its handle.
class LuaVar final : public engine::SharedVar {
public:
    LuaVar(std::string name, std::int64_t v, const Values& values) : SharedVar(std::move(name), v), values_(values) {}
    engine::Snapshot snapshot() const override;
private:
    const Values& values_;
};
class LuaTVar final : public engine::TVar<std::int64_t> {
public:
    LuaTVar(std::string name, std::int64_t v, const Values& values) : TVar(std::move(name), v), values_(values) {}
    engine::Snapshot snapshot() const override;
private:
    const Values& values_;
};

class LuaRun final : public Run {
public:
    LuaRun(const Settings& settings, const std::string& text, const std::string* binary);
    ~LuaRun() override;
    Outcome scene_outcome() const override;
    std::string outcome_key() const override;
    std::string value_text(std::int64_t value) const override { return values_.text(value); }
    const LuaRun* as_program() const override { return this; }

    const ProgramError* error() const { return error_ ? &*error_ : nullptr; }
    const std::vector<std::string>& output() const { return output_; }

    // --- for the program's functions (program_api.cpp) ---
    static LuaRun& of(lua_State* L) { return **static_cast<LuaRun**>(lua_getextraspace(L)); }
    bool ended() const { return ended_; }
    struct Slot {
        Kind kind;
        engine::Object* object;       // null for tasks without a mailbox
        engine::TaskId task = engine::kNone;  // a task or actor's id
        engine::Promise* done = nullptr;      // a task's end, for join
    };
    Slot& slot(int index) { return slots_[static_cast<std::size_t>(index)]; }
    // Makes an engine object of `kind` and pushes its userdata.
    void push_new(lua_State* L, Kind kind, std::int64_t initial, int extra, const char* name);
    void push_slot(lua_State* L, int index);
    // The slot of the userdata at `index` if it is of `kind`, else a Lua error.
    Slot& check(lua_State* L, int index, Kind kind, const char* what);
    int check_any(lua_State* L, int index);
    // Starts a task running the function at `index` with the `nargs` values
    // after it (copied); actor: with a mailbox. Pushes its handle.
    void push_spawn(lua_State* L, int index, int nargs, std::string name, bool actor, engine::Promise* result, bool link = false);
    Values& values() { return values_; }
    bool in_host() const { return host_depth_ > 0; }
    void add_check(lua_State* L, int index, std::string message, bool outcome_fn);
    // The userdata of the task's actor (or task), pushed; nil if none.
    void push_task(lua_State* L, engine::TaskId task);
    engine::TaskId current_task() const;
    // Runs the Lua function at the top with `nargs` arguments on the host
    // (a match, a continuation, an invariant): it may read but not wait.
    bool host_call(int nargs, int nresults, std::string& error, bool coded = false);
    // A value's handle, and a handle's value, made under protection (see program.cpp).
    std::int64_t encode(lua_State* T, int index);
    void push(lua_State* T, std::int64_t handle);
    void count_instructions(lua_State* L);
    void push_message(lua_State* L, const engine::Message& m);
    // await(fn): does the condition hold now? (read on the host)
    bool holds(int fn_ref);
    // Wakes the tasks whose await condition now holds (after every step).
    void recheck_awaits();
    // fiber(fn): a fiber object and the task that runs its body. Pushes it.
    void push_fiber(lua_State* L, int index, std::string name);
    // event_loop(fn): a loop, its task and its thread pool's task. Pushes it.
    void push_loop(lua_State* L, int index);
    // The loop whose callback is running (null outside callbacks).
    engine::EventLoop* active_loop() const { return active_loop_; }
    // A loop callback that calls the Lua function at `index` (kept).
    std::function<void(engine::EventLoop&)> loop_callback(lua_State* L, int index);
    // The same for a proactor read: the function gets the data ("" at the end).
    std::function<void(engine::EventLoop&, const std::string&)> data_callback(lua_State* L, int index);
    // The lines of the Lua function at `index` in the program: where the
    // loop's task stands while it runs it as a callback (EventLoop::at).
    static engine::Place code_of(lua_State* L, int index);
    void log(const std::string& line);  // print inside a loop callback
    struct Awaiting {
        engine::TaskId task;
        int fn_ref;
    };
    std::vector<Awaiting> awaiting_;
    // Is T a transaction body's thread (where tvars may be used)?
    bool in_tx(lua_State* T) const { return std::find(tx_threads_.begin(), tx_threads_.end(), T) != tx_threads_.end(); }

private:
    engine::Task task_main(engine::Ctx& ctx, int thread_ref, int nargs, engine::Promise* result);
    engine::Task fiber_main(engine::Ctx& ctx, int thread_ref, engine::Fiber* fiber);
    engine::Task loop_main(engine::Ctx& ctx, engine::EventLoop* loop, int fn_ref);
    engine::Task pool_main(engine::Ctx& ctx, engine::EventLoop* loop);
    engine::EventLoop* active_loop_ = nullptr;
    std::map<engine::TaskId, engine::Fiber*> fiber_of_;  // the task that runs each fiber's body
    engine::Co<int> drive(engine::Ctx& ctx, lua_State* T, int nargs, engine::Tx* tx, std::vector<int>* deferred);
    engine::Co<int> perform(engine::Ctx& ctx, lua_State* T, Op op, int base, int n, engine::Tx* tx, std::vector<int>* deferred);
    engine::Co<std::int64_t> body(engine::Ctx& ctx, engine::Tx& tx, int fn_ref, std::vector<int>* deferred);
    void fail(engine::TaskId task, const std::string& message, int line);
    void name_objects(lua_State* T);
    void evaluate_checks() const;
    std::string summary() const;
    std::vector<std::string> problems() const;
    bool handled(engine::TaskId task) const;
    engine::Stm& stm();
    engine::Links& links();

    Arena arena_;  // before L_: the state lives in it
    lua_State* L_ = nullptr;
    std::size_t memory_ = 0;
    bool out_of_memory_ = false;
    int frozen_ = LUA_NOREF;
    Values values_;
    std::vector<std::unique_ptr<engine::Object>> owned_;
    std::deque<Slot> slots_;  // a deque: references to slots stay valid as objects are made
    std::vector<int> unnamed_;
    int counter_[16] = {};
    std::unique_ptr<engine::Stm> stm_;
    std::unique_ptr<engine::Links> links_;
    std::vector<std::pair<engine::TaskId, engine::Mailbox*>> actors_;
    std::vector<int> task_slot_;  // task id -> its slot (-1: none)
    std::unique_ptr<Output> stdout_;
    std::optional<ProgramError> error_;
    std::vector<std::string> output_;
    bool uses_join_ = false;
    bool compile_error_ = false;
    bool ended_ = false;  // being destroyed: finalizers (__gc) may still run, and must not reach the runtime
    std::set<engine::TaskId> handled_;  // tasks whose crash an actor was told of
    int host_depth_ = 0;
    int guarded_ = 0;  // protected calls in progress (lua_resume, lua_pcall)
    std::vector<lua_State*> tx_threads_;
    long host_budget_ = 0;
    struct Check {
        int ref;
        std::string message;
        bool outcome_fn;
    };
    std::vector<Check> checks_;
    mutable bool checked_ = false;
    mutable std::vector<std::string> check_failures_;
    mutable std::string user_outcome_;
    friend void* allocate(void*, void*, std::size_t, std::size_t);
};

// A syntax error as the user reads it: Lua's message without its prefix, the
// line, and the column of the token it names.
ProgramError compile_error_text(std::string_view text, std::string message);

// Registers the program's functions in the state's globals (program_api.cpp).
void open_api(lua_State* L);
// The Lua source of the helpers written in Lua itself (ch:range() ...).
extern const char* const kPrelude;

}  // namespace such::scenes::lua
