#!/usr/bin/env bash
# Desktop end-to-end: the real app in a real window under Xvfb renders the race
# scene and writes a PNG of its own frame; the image must not be blank.
set -euo pipefail
app="$1"; out="$2"
mkdir -p "$out"
shot="$out/desktop.png"
rm -f "$shot"
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --scene 'race?seed=7' --steps 6 --size 1600x900 \
    --screenshot "$shot" --frames 20
# A blank frame is one colour; a rendered scene has text and panels.
colours=$(convert "$shot" -format "%k" info:)
echo "desktop screenshot: $shot, $colours distinct colours"
[[ "$colours" -gt 50 ]] || { echo "FAIL: the desktop frame looks blank"; exit 1; }
# A bad argument gets a usage message and exit code 2, without opening a window.
set +e
"$app" --scene no-such-scene >/dev/null 2>"$out/bad_arg.txt"; code=$?
set -e
[[ $code == 2 ]] || { echo "FAIL: bad --scene exited $code, expected 2"; exit 1; }
grep -q "no scene called 'no-such-scene'" "$out/bad_arg.txt" || { echo "FAIL: no clear message"; cat "$out/bad_arg.txt"; exit 1; }
echo "desktop e2e passed"
