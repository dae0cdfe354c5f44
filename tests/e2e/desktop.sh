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
# The same arguments, the same picture: a frame is 1/60 s of the run however
# long the machine takes to draw it, so a slide that plays itself (the
# supervisor's, whose worker crashes and restarts) shows the same moment at
# the same --frames, and Xvfb's pointer (mid-screen) lights nothing.
for i in 1 2; do
    xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --talk 30 --size 1280x720 --screenshot "$out/again_$i.png" --frames 150 >/dev/null
done
differ=$(compare -metric AE "$out/again_1.png" "$out/again_2.png" null: 2>&1 || true)
[[ "$differ" == 0 ]] || { echo "FAIL: the same slide at the same --frames differs in $differ pixels"; exit 1; }
echo "screenshots: slide 30 at 150 frames, twice, the same picture"
# Presenting: the slides in the main window and the speaker's notes in a
# second window (its own ImGui context), both drawn; the notes follow the talk.
rm -f "$out/talk.png" "$out/talk_notes.png"
xvfb-run -a -s "-screen 0 3000x1200x24" "$app" --talk 5 --notes --do next --do skip --size 1600x900 \
    --screenshot "$out/talk.png" --frames 12 > "$out/talk.txt"
cat "$out/talk.txt"
grep -q "notes window showed: 6 / " "$out/talk.txt" || { echo "FAIL: the notes window did not follow the talk to slide 6"; exit 1; }
for f in talk.png talk_notes.png; do
    c=$(convert "$out/$f" -format "%k" info:)
    [[ "$c" -gt 20 ]] || { echo "FAIL: $f looks blank ($c colours)"; exit 1; }
done
# Handouts: every slide as a PNG, none blank.
rm -rf "$out/deck"
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --export-deck "$out/deck" --size 1280x720
slides=$("$(dirname "$app")/such_cli" deck | wc -l)
pngs=$(ls "$out/deck"/slide-*.png | wc -l)
[[ "$pngs" == "$slides" ]] || { echo "FAIL: $pngs PNGs for $slides slides"; exit 1; }
for f in "$out/deck"/slide-*.png; do
    c=$(convert "$f" -format "%k" info:)
    [[ "$c" -gt 20 ]] || { echo "FAIL: $f looks blank ($c colours)"; exit 1; }
done
echo "deck export: $pngs slides, none blank"
# A bad argument gets a usage message and exit code 2, without opening a window.
set +e
"$app" --scene no-such-scene >/dev/null 2>"$out/bad_arg.txt"; code=$?
set -e
[[ $code == 2 ]] || { echo "FAIL: bad --scene exited $code, expected 2"; exit 1; }
grep -q "no scene called 'no-such-scene'" "$out/bad_arg.txt" || { echo "FAIL: no clear message"; cat "$out/bad_arg.txt"; exit 1; }
set +e
"$app" --scene race --seed 1 --seed 2 >/dev/null 2>"$out/bad_arg.txt"; code=$?
set -e
[[ $code == 2 ]] && grep -q -- "--seed is given twice" "$out/bad_arg.txt" || { echo "FAIL: --seed twice exited $code"; cat "$out/bad_arg.txt"; exit 1; }
set +e
"$app" --talk 999 >/dev/null 2>"$out/bad_slide.txt"; code=$?
set -e
[[ $code == 2 ]] && grep -q "no slide 999" "$out/bad_slide.txt" || { echo "FAIL: --talk 999 exited $code"; cat "$out/bad_slide.txt"; exit 1; }
# The playground: a shipped program opened with --program, two steps taken
# (seed 7: T1 has read, T2 has not), drawn with a marker per task; the last
# program is kept next to the progress file.
export SUCH_PROGRESS="$out/state/progress"
rm -rf "$out/state" "$out/playground.png"
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --program examples/counter_race --seed 7 --steps 2 --size 1600x900 \
    --screenshot "$out/playground.png" --frames 12
c=$(convert "$out/playground.png" -format "%k" info:)
[[ "$c" -gt 50 ]] || { echo "FAIL: the playground frame looks blank ($c colours)"; exit 1; }
grep -q "go(worker)" "$out/state/program.lua" || { echo "FAIL: the last program was not kept in $out/state/program.lua"; exit 1; }
printf 'go(function() print("from a file") end)\n' > "$out/state/mine.lua"
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --program "$out/state/mine.lua" --do run-program --do 'save '"$out/state/saved.lua" \
    --size 1280x720 --screenshot "$out/playground_file.png" --frames 4 >/dev/null
cmp -s "$out/state/mine.lua" "$out/state/saved.lua" || { echo "FAIL: saving the program did not write the same text"; exit 1; }
cmp -s "$out/state/mine.lua" "$out/state/program.lua" || { echo "FAIL: the kept program is not the last one opened"; exit 1; }
set +e
"$app" --program "$out/state/no-such.lua" >/dev/null 2>"$out/bad_program.txt"; code=$?
set -e
[[ $code == 2 ]] && grep -q "no such file" "$out/bad_program.txt" || { echo "FAIL: a missing --program file exited $code"; cat "$out/bad_program.txt"; exit 1; }
set +e
"$app" --program "$out/state" >/dev/null 2>"$out/bad_program.txt"; code=$?
set -e
[[ $code == 2 ]] && grep -q "not a readable file" "$out/bad_program.txt" || { echo "FAIL: a folder as --program exited $code"; cat "$out/bad_program.txt"; exit 1; }
echo "playground: --program opens, steps, keeps and saves the program; bad files exit 2"
# Traces: one written by the command line opens in the app (--open) at its
# last step; the app saves it back, and the command line finds the saved run
# the same; a broken file exits 2 with its line.
cli="$(dirname "$app")/such_cli"
"$cli" run stm/bank --seed 3 --trace "$out/bank.jsonl" > /dev/null
rm -f "$out/bank_saved.jsonl" "$out/trace_open.png"
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --open "$out/bank.jsonl" --do back --do step --do "save-trace $out/bank_saved.jsonl" \
    --do 'tab trace' --size 1600x900 --screenshot "$out/trace_open.png" --frames 6 > /dev/null
c=$(convert "$out/trace_open.png" -format "%k" info:)
[[ "$c" -gt 50 ]] || { echo "FAIL: the opened trace's frame looks blank ($c colours)"; exit 1; }
"$cli" trace "$out/bank_saved.jsonl" | grep -q "all match the re-run" || { echo "FAIL: the trace saved by the app does not reopen"; exit 1; }
[[ $(grep -c . "$out/bank_saved.jsonl") == $(grep -c . "$out/bank.jsonl") ]] || { echo "FAIL: the app saved a different number of events"; exit 1; }
head -c 200 "$out/bank.jsonl" > "$out/cut.jsonl"
set +e
"$app" --open "$out/cut.jsonl" >/dev/null 2>"$out/bad_trace.txt"; code=$?
set -e
[[ $code == 2 ]] && grep -q "line 1: " "$out/bad_trace.txt" || { echo "FAIL: a cut trace file exited $code"; cat "$out/bad_trace.txt"; exit 1; }
echo "traces: --open shows the recorded run, Save trace writes one that reopens; a broken file exits 2"
# Fonts: a broken, cut short or missing font file falls back to ImGui's own
# font, says so on stderr, and the frame is drawn (a broken one once aborted
# the app with exit 134, a cut one crashed it).
rm -rf "$out/fonts_bad" && mkdir -p "$out/fonts_bad"
printf 'not a font %.0s' {1..400} > "$out/fonts_bad/DejaVuSans.ttf"
head -c 30000 "$(dirname "$app")/fonts/DejaVuSans-Bold.ttf" > "$out/fonts_bad/DejaVuSans-Bold.ttf"
set +e
xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --fonts "$out/fonts_bad" --scene 'race?seed=7' --steps 3 --size 1280x720 \
    --screenshot "$out/fonts_bad.png" --frames 6 >/dev/null 2>"$out/fonts_bad.txt"; code=$?
set -e
cat "$out/fonts_bad.txt"
[[ $code == 0 ]] || { echo "FAIL: broken fonts exited $code"; exit 1; }
for says in "DejaVuSans.ttf: not a TrueType or OpenType font" "DejaVuSans-Bold.ttf: table '" \
            "JetBrainsMono-Regular.ttf: no such file" "(using ImGui's built-in font instead)"; do
    grep -qF "$says" "$out/fonts_bad.txt" || { echo "FAIL: the font message does not say: $says"; exit 1; }
done
c=$(convert "$out/fonts_bad.png" -format "%k" info:)
[[ "$c" -gt 20 ]] || { echo "FAIL: the frame with ImGui's font looks blank ($c colours)"; exit 1; }
echo "fonts: broken, cut and missing files fall back to ImGui's font with a message"
# A progress path that is not a file (a device that never ends once hung the
# app at start): a message, and the app runs.
SUCH_PROGRESS=/dev/zero xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --scene race --size 1280x720 \
    --screenshot "$out/progress_device.png" --frames 2 >/dev/null 2>"$out/progress_device.txt" ||
    { echo "FAIL: a progress path on /dev/zero exited $?"; exit 1; }
grep -q "ignoring the progress file /dev/zero (not a readable file)" "$out/progress_device.txt" ||
    { echo "FAIL: no message for a progress path that is not a file"; cat "$out/progress_device.txt"; exit 1; }
echo "desktop e2e passed"
