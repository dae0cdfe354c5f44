// Lua values inside engine objects (boxes), their deterministic text, and the
// deep copy that gives each task its own memory.
#include "scenes/lua_values.hpp"

#include <algorithm>
#include <cstdio>

namespace such::scenes::lua {
namespace {

int write_chunk(lua_State*, const void* p, std::size_t size, void* out) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(p), size);
    return 0;
}

void dump_into(lua_State* L, int index, std::string& out) {
    lua_pushvalue(L, index);
    lua_dump(L, write_chunk, &out, 0);
    lua_pop(L, 1);
}

bool frozen_value(lua_State* L, int index, int frozen) {
    if (frozen == LUA_NOREF) return false;
    lua_rawgeti(L, LUA_REGISTRYINDEX, frozen);
    lua_pushvalue(L, index);
    const bool found = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return found;
}

// memo: original -> copy; upvalues: upvalue id -> an original closure that has it.
void clone_into(lua_State* L, int index, int memo, int upvalues, int frozen) {
    index = lua_absindex(L, index);
    const int type = lua_type(L, index);
    if ((type != LUA_TTABLE && type != LUA_TFUNCTION) || lua_iscfunction(L, index) || frozen_value(L, index, frozen)) {
        lua_pushvalue(L, index);
        return;
    }
    lua_pushvalue(L, index);
    if (lua_rawget(L, memo) != LUA_TNIL) return;
    lua_pop(L, 1);
    luaL_checkstack(L, 8, "a value nested too deeply to copy");
    if (type == LUA_TTABLE) {
        // Sized at once: a table grown entry by entry is rehashed as it grows.
        int entries = 0;
        lua_pushnil(L);
        while (lua_next(L, index) != 0) {
            lua_pop(L, 1);
            ++entries;
        }
        const int array = static_cast<int>(std::min<lua_Unsigned>(lua_rawlen(L, index), static_cast<lua_Unsigned>(entries)));
        lua_createtable(L, array, entries - array);
        const int copy = lua_gettop(L);
        lua_pushvalue(L, index);
        lua_pushvalue(L, copy);
        lua_rawset(L, memo);
        lua_pushnil(L);
        while (lua_next(L, index) != 0) {
            const int value = lua_gettop(L), key = value - 1;
            clone_into(L, key, memo, upvalues, frozen);
            clone_into(L, value, memo, upvalues, frozen);
            lua_rawset(L, copy);
            lua_pop(L, 1);  // the value; the key stays for lua_next
        }
        if (lua_getmetatable(L, index)) {
            clone_into(L, -1, memo, upvalues, frozen);
            lua_setmetatable(L, copy);
            lua_pop(L, 1);
        }
        return;
    }
    // A Lua function: the same code with new upvalues holding copies (shared
    // between the copies of closures that shared them).
    thread_local std::string chunk;  // kept between copies: only its capacity matters
    chunk.clear();
    dump_into(L, index, chunk);
    if (luaL_loadbufferx(L, chunk.data(), chunk.size(), "=program", "b") != LUA_OK) lua_error(L);
    const int copy = lua_gettop(L);
    lua_pushvalue(L, index);
    lua_pushvalue(L, copy);
    lua_rawset(L, memo);
    for (int i = 1; lua_getupvalue(L, index, i) != nullptr; ++i) {
        const int value = lua_gettop(L);
        void* const id = lua_upvalueid(L, index, i);
        lua_pushlightuserdata(L, id);
        if (lua_rawget(L, upvalues) != LUA_TNIL) {
            // An original closure that has this upvalue too: join its copy's.
            const int other = lua_gettop(L);
            int n = 1;
            while (lua_upvalueid(L, other, n) != id) ++n;
            lua_pushvalue(L, other);
            lua_rawget(L, memo);
            lua_upvaluejoin(L, copy, i, lua_gettop(L), n);
            lua_pop(L, 2);
        } else {
            lua_pop(L, 1);
            lua_pushlightuserdata(L, id);
            lua_pushvalue(L, index);
            lua_rawset(L, upvalues);
            clone_into(L, value, memo, upvalues, frozen);
            lua_setupvalue(L, copy, i);
        }
        lua_pop(L, 1);  // the original upvalue's value
    }
}

void quote(std::string& out, const char* s, std::size_t n) {
    out += '"';
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[i];
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    out += '"';
}

void display_into(lua_State* L, int index, int depth, bool quoted, std::string& out) {
    index = lua_absindex(L, index);
    switch (lua_type(L, index)) {
    case LUA_TNONE:  // an argument not given reads as nil
    case LUA_TNIL: out += "nil"; return;
    case LUA_TBOOLEAN: out += lua_toboolean(L, index) ? "true" : "false"; return;
    case LUA_TNUMBER: {
        char buf[64];
        if (lua_isinteger(L, index)) {
            std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(lua_tointeger(L, index)));
        } else {
            std::snprintf(buf, sizeof buf, "%.14g", lua_tonumber(L, index));
        }
        out += buf;
        return;
    }
    case LUA_TSTRING: {
        std::size_t n = 0;
        const char* s = lua_tolstring(L, index, &n);
        if (quoted) quote(out, s, n);
        else out.append(s, n);
        return;
    }
    case LUA_TFUNCTION: out += "function"; return;
    case LUA_TTHREAD: out += "thread"; return;
    case LUA_TUSERDATA:
    case LUA_TLIGHTUSERDATA:
        if (luaL_getmetafield(L, index, "__name") != LUA_TNIL) {
            // Engine objects say who they are through __tostring (no address).
            lua_pop(L, 1);
            if (luaL_callmeta(L, index, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
                out += lua_tostring(L, -1);
                lua_pop(L, 1);
                return;
            }
        }
        out += "userdata";
        return;
    case LUA_TTABLE: break;
    }
    if (depth <= 0) {
        out += "{...}";
        return;
    }
    luaL_checkstack(L, 8, "a table nested too deeply to print");
    out += '{';
    // The array part in order, then the other keys sorted by their text.
    const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, index));
    int shown = 0;
    for (lua_Integer i = 1; i <= n && shown < 24; ++i, ++shown) {
        if (i > 1) out += ", ";
        lua_rawgeti(L, index, i);
        display_into(L, -1, depth - 1, true, out);
        lua_pop(L, 1);
    }
    std::vector<std::pair<std::string, std::string>> rest;
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        const bool in_array = lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= n;
        if (!in_array) {
            std::string key, value;
            if (lua_type(L, -2) == LUA_TSTRING) key = lua_tostring(L, -2);
            else {
                key += '[';
                display_into(L, -2, depth - 1, true, key);
                key += ']';
            }
            display_into(L, -1, depth - 1, true, value);
            rest.emplace_back(std::move(key), std::move(value));
        }
        lua_pop(L, 1);
    }
    std::sort(rest.begin(), rest.end());
    for (const auto& [key, value] : rest) {
        if (shown >= 24) {
            out += ", ...";
            break;
        }
        if (shown++ > 0) out += ", ";
        out += key + " = " + value;
    }
    if (n > 24) out += ", ...";
    out += '}';
}

}  // namespace

std::string dump(lua_State* L, int index) {
    std::string out;
    dump_into(L, index, out);
    return out;
}

std::string display(lua_State* L, int index, int depth) {
    std::string out;
    display_into(L, index, depth, true, out);
    return out;
}

std::string display_raw(lua_State* L, int index) {
    std::string out;
    display_into(L, index, 3, false, out);
    return out;
}

void clone(lua_State* L, int index, int frozen) {
    index = lua_absindex(L, index);
    lua_newtable(L);
    lua_newtable(L);
    const int upvalues = lua_gettop(L), memo = upvalues - 1;
    clone_into(L, index, memo, upvalues, frozen);
    lua_replace(L, memo);
    lua_pop(L, 1);
}

std::int64_t Values::encode(lua_State* L_, int index) {
    if (lua_isnone(L_, index)) return nil();  // shared() holds nil
    index = lua_absindex(L_, index);
    if (lua_isinteger(L_, index)) {
        const lua_Integer v = lua_tointeger(L_, index);
        if (v >= kSmallest) return v;
    }
    const int type = lua_type(L_, index);
    const bool scalar = type != LUA_TTABLE && type != LUA_TFUNCTION;
    std::string key;
    if (scalar) {
        if (type == LUA_TUSERDATA || type == LUA_TLIGHTUSERDATA || type == LUA_TTHREAD) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "u:%p", lua_topointer(L_, index));  // an identity, never shown
            key = buf;
        } else {
            key = std::to_string(type) + ":" + display(L_, index);
            if (type == LUA_TNUMBER && !lua_isinteger(L_, index)) key += "f";
        }
        if (const auto it = scalars_.find(key); it != scalars_.end()) return kBase + static_cast<std::int64_t>(it->second);
    }
    Box box;
    box.text = display(L_, index);
    if (scalar) lua_pushvalue(L_, index);
    else clone(L_, index, frozen_);
    box.ref = luaL_ref(L_, LUA_REGISTRYINDEX);
    boxes_.push_back(std::move(box));
    if (scalar) scalars_[key] = boxes_.size() - 1;
    return kBase + static_cast<std::int64_t>(boxes_.size() - 1);
}

void Values::push(lua_State* L_, std::int64_t handle) {
    if (!is_box(handle)) {
        lua_pushinteger(L_, handle);
        return;
    }
    const auto at = static_cast<std::size_t>(handle - kBase);
    if (at >= boxes_.size()) {
        lua_pushnil(L_);
        return;
    }
    lua_rawgeti(L_, LUA_REGISTRYINDEX, boxes_[at].ref);
    const int type = lua_type(L_, -1);
    if (type == LUA_TTABLE || type == LUA_TFUNCTION) {
        clone(L_, -1, frozen_);  // every reader gets its own copy
        lua_remove(L_, -2);
    }
}

std::string Values::text(std::int64_t handle) const {
    if (!is_box(handle)) return std::to_string(handle);
    const auto at = static_cast<std::size_t>(handle - kBase);
    return at < boxes_.size() ? boxes_[at].text : "?";
}

}  // namespace such::scenes::lua
