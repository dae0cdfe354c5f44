# What the bench_<peer>.sh scripts share; source it, don't run it.
#   peer_setup BINARY   - $root, $ours ($SUCH_BUILD/BINARY, built if missing; SUCH_BUILD defaults to
#                         build/native), $work (removed on exit)
#   peer_install CHECK PACKAGE - installs the Debian package unless CHECK (a command line) succeeds
#   peer_table PEER KEY [OURS [TITLE]] - prints OURS ($work/ours.txt by default; its column titled TITLE, "such"
#                         by default) and $work/peer.txt side by side ("name rate" lines, matched by name, in
#                         our order) with ratios, and the records
#                         "@ KEY.name.such rate" and "@ KEY.name.peer rate" that bench/run-all gathers; a name
#                         one side lacks is an error
#   record KEY VALUE    - one more such record
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

peer_setup() {
    local build="${SUCH_BUILD:-$root/build/native}"
    ours="$build/$1"
    if [[ ! -x $ours ]]; then
        [[ -d $build ]] || { echo "build first: ./such test"; exit 2; }
        cmake --build "$build" --target "$1" >/dev/null
    fi
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
}

peer_install() {
    eval "$1" >/dev/null 2>&1 || apt-get install -y -q --no-install-recommends "$2" >/dev/null
}

record() { echo "@ $1 $2"; }

peer_table() {
    local records=() ours_file="${3:-$work/ours.txt}" title="${4:-such}"
    printf "%-20s %22s %16s %10s\n" "program" "$title" "$1" "such/$1"
    while read -r name a _; do
        b="$(awk -v n="$name" '$1 == n { print $2; exit }' "$work/peer.txt")"
        [[ -n $b ]] || { echo "peer_table: $1 has no row named '$name'" >&2; return 1; }
        printf "%-20s %22s %16s %9.3fx\n" "$name" "$a" "$b" "$(echo "$a / $b" | bc -l)"
        records+=("@ $2.$name.such $a" "@ $2.$name.peer $b")
    done < "$ours_file"
    while read -r name _; do
        grep -q "^$name " "$ours_file" || { echo "peer_table: we have no row named '$name' ($1 has)" >&2; return 1; }
    done < "$work/peer.txt"
    printf "%s\n" "${records[@]}"
}
