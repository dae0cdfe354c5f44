#!/usr/bin/env bash
# Builds the WebAssembly dependencies (SDL2, Dear ImGui and Lua 5.4 from
# Debian's source packages) once into .cache/web, for the single-threaded and
# threaded variants.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache/web"
export NODE_PATH=/usr/share/nodejs
mkdir -p "$cache"

enable_sources() {
    if ! grep -rqs "deb-src\|Types:.*deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
        echo "deps: enabling Debian source packages (bookworm main)"
        cat > /etc/apt/sources.list.d/such-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
        apt-get update -q
    fi
}

fetch_sources() {
    [[ -d "$cache/src/sdl2" && -d "$cache/src/imgui" ]] && return 0
    enable_sources
    rm -rf "$cache/src.tmp" && mkdir -p "$cache/src.tmp"
    (cd "$cache/src.tmp" && apt-get source -q libsdl2 imgui)
    mv "$cache/src.tmp"/libsdl2-*/ "$cache/src.tmp/sdl2"
    mv "$cache/src.tmp"/imgui-*/ "$cache/src.tmp/imgui"
    rm -rf "$cache/src" && mv "$cache/src.tmp" "$cache/src"
}

# $1 = variant (st|mt), $2 = extra compile flags
build_sdl() {
    local variant="$1" flags="$2" prefix="$cache/$1/sdl2"
    [[ -f "$prefix/lib/libSDL2.a" ]] && return 0
    echo "deps: building SDL2 for WebAssembly ($variant); first time only, a few minutes"
    local bdir="$cache/$variant/sdl2-build"
    rm -rf "$bdir" && mkdir -p "$bdir"
    # SDL's configure runs hundreds of compile checks, each a slow emcc start;
    # the second variant reuses the first one's answers (threads aside).
    local preload=()
    [[ -f "$cache/sdl2-checks.cmake" ]] && preload=(-C "$cache/sdl2-checks.cmake")
    (cd "$bdir" && emcmake cmake "${preload[@]}" "$cache/src/sdl2" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_C_FLAGS="$flags" \
        -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF \
        -DSDL_AUDIO=OFF -DSDL_HAPTIC=OFF -DSDL_JOYSTICK=OFF -DSDL_SENSOR=OFF \
        -DSDL_POWER=OFF -DSDL_HIDAPI=OFF && ninja -j2 && ninja install) > "$cache/$variant/sdl2.log" 2>&1 \
        || { tail -30 "$cache/$variant/sdl2.log"; echo "deps: SDL2 build failed (log: $cache/$variant/sdl2.log)"; exit 1; }
    if [[ ! -f "$cache/sdl2-checks.cmake" ]]; then
        grep -E '^(HAVE_|LIBC_HAS_|COMPILER_SUPPORTS_)[A-Za-z0-9_]*:INTERNAL=' "$bdir/CMakeCache.txt" | grep -vi pthread |
            sed -E 's/^([^:]*):INTERNAL=(.*)$/set(\1 "\2" CACHE INTERNAL "")/' > "$cache/sdl2-checks.cmake" || true
    fi
    rm -rf "$bdir"
}

build_imgui() {
    local variant="$1" flags="$2" out="$cache/$1/imgui"
    [[ -f "$out/libimgui.a" ]] && return 0
    echo "deps: building Dear ImGui for WebAssembly ($variant)"
    local src="$cache/src/imgui"
    rm -rf "$out" && mkdir -p "$out/obj" "$out/include/imgui/backends"
    cp "$src"/*.h "$out/include/imgui/"
    cp "$src"/backends/imgui_impl_sdl.h "$src"/backends/imgui_impl_opengl3.h \
       "$src"/backends/imgui_impl_opengl3_loader.h "$out/include/imgui/backends/"
    local f
    for f in imgui.cpp imgui_draw.cpp imgui_widgets.cpp imgui_tables.cpp \
             backends/imgui_impl_sdl.cpp backends/imgui_impl_opengl3.cpp; do
        em++ -O2 $flags -std=c++17 -I"$src" -I"$cache/$variant/sdl2/include/SDL2" \
            -c "$src/$f" -o "$out/obj/$(basename "$f" .cpp).o" &
    done
    local failed=0 job
    for job in $(jobs -p); do wait "$job" || failed=1; done
    [[ $failed == 0 ]] || { echo "deps: ImGui build failed"; exit 1; }
    emar rcs "$out/libimgui.a" "$out"/obj/*.o
}

# Lua: its own folder, so a cache made before programs existed gets it too.
fetch_lua() {
    [[ -d "$cache/src/lua" ]] && return 0
    enable_sources
    rm -rf "$cache/lua.tmp" && mkdir -p "$cache/lua.tmp"
    (cd "$cache/lua.tmp" && apt-get source -q lua5.4)
    mkdir -p "$cache/src"
    mv "$cache/lua.tmp"/lua5.4-*/ "$cache/src/lua"
    rm -rf "$cache/lua.tmp"
}

# Every src/*.c but the two programs, compiled as C++: Lua's errors and
# yields are then C++ exceptions that unwind our frames properly (a longjmp
# over C++ frames with cleanups breaks emscripten's exception handling).
# Each variant's exceptions are the app's (CMakeLists.txt): WebAssembly's own
# in the single-threaded one, emscripten's JavaScript ones in the threaded one.
# The flags it was built with are kept beside it: other flags, a new build.
# Debian's luaconf.h includes a multiarch header; ours only names the target.
build_lua() {
    local variant="$1" flags="$2" out="$cache/$1/lua"
    [[ -f "$out/liblua.a" && "$(cat "$out/flags" 2>/dev/null)" == "$flags" ]] && return 0
    echo "deps: building Lua 5.4 for WebAssembly ($variant)"
    local src="$cache/src/lua/src"
    rm -rf "$out" && mkdir -p "$out/obj" "$out/include"
    echo '#define DEB_HOST_MULTIARCH "wasm32-emscripten"' > "$out/include/lua5.4-deb-multiarch.h"
    cp "$src"/lua.h "$src"/luaconf.h "$src"/lualib.h "$src"/lauxlib.h "$out/include/"
    local f
    for f in "$src"/*.c; do
        case "$(basename "$f")" in lua.c|luac.c) continue ;; esac
        em++ -x c++ -O2 $flags -I"$out/include" -I"$src" -c "$f" -o "$out/obj/$(basename "$f" .c).o" &
        while (( $(jobs -r | wc -l) >= 2 )); do wait -n; done
    done
    wait
    emar rcs "$out/liblua.a" "$out"/obj/*.o
    echo "$flags" > "$out/flags"
}

fetch_sources
fetch_lua
# doctest for the WebAssembly test build: a folder holding only a link to it,
# so emcc never sees the host's /usr/include.
mkdir -p "$cache/doctest-include"
ln -sfn /usr/include/doctest "$cache/doctest-include/doctest"
build_sdl st ""
build_imgui st ""
build_sdl mt "-pthread"
build_imgui mt "-pthread"
build_lua st "-fwasm-exceptions"
build_lua mt "-pthread -fexceptions"
echo "deps: WebAssembly dependencies ready in $cache"
