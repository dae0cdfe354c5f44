// Browser end-to-end: Debian's Chromium (headless, driven by playwright-core)
// loads the page from the project's own server, for both builds: the canvas
// is not blank, the JS state API reports the scene, stepping changes the
// state, and a bad deep link (unknown, 10,000+ characters, a broken %-escape)
// shows a note and changes nothing; Back and Forward walk the scenes opened; the playground takes
// typed and pasted programs, runs them and opens them from links, and the
// time from pressing Run on the menu's example to its first step is printed.
// Screenshots are kept.
//   node tests/e2e/browser.mjs --site DIR --out DIR
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
if (!args.site || !args.out || !args.cli) { console.error("usage: browser.mjs --site DIR --out DIR --cli SUCH_CLI"); process.exit(2); }
mkdirSync(args.out, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

// Starts the project's server on a free port; resolves with its base URL.
function serve(extra) {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, [join(here, "../../web/serve.mjs"), "--root", args.site, "--port", "0", ...extra]);
    proc.stdout.on("data", (d) => {
      const m = /http:\/\/[^/]+\//.exec(String(d));
      if (m) resolvePromise({ url: m[0], proc });
    });
    proc.stderr.on("data", (d) => process.stderr.write(d));
    proc.on("exit", (code) => reject(new Error("server exited " + code)));
  });
}

async function waitForApp(page) {
  await page.waitForFunction(() => window.such || window.suchError, null, { timeout: 60000 });
  const error = await page.evaluate(() => window.suchError);
  if (error) throw new Error("page reported: " + error);
  await page.waitForTimeout(500);  // let a few frames render
}

// A blank canvas is one colour; count the distinct colours in a screenshot.
async function distinctColours(page, file) {
  const png = await page.screenshot({ path: file });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, png.toString("base64"));
}

// FNV-1a (32 bits) of the UTF-8 bytes: the hash the app reports for its program.
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}
const code = (text) => Buffer.from(text, "utf8").toString("base64url");
const frames = (page, n) => page.evaluate((k) => new Promise((done) => {
  const next = (left) => (left ? requestAnimationFrame(() => next(left - 1)) : done());
  next(k);
}), n);

// Hashes that once broke the page: one of 10,000+ characters (an ImGui
// assertion, its text shown raw) and a broken percent-escape (index.html threw
// and stayed on "loading…"). Loaded fresh, each finishes loading and shows the
// menu with a note; changed while a scene is open, each leaves the scene and
// the address as they were.
async function badHashes(page, url, variant) {
  const tag = `[${variant}]`;
  const long = "#" + "such-".repeat(2000) + "wow";  // 10,004 characters
  for (const [name, hash, says] of [["long_hash", long, "no scene called 'such-such-"],
                                    ["bad_escape", "#%E0%A4%A", "not followed by two hex digits"]]) {
    // A fresh load (from another page: going to the same page with a new hash
    // would be a hashchange, which the app refuses and puts the address back).
    await page.goto("about:blank");
    await page.goto(url + hash);
    await page.waitForFunction(() => window.such || window.suchError, null, { timeout: 60000 }).catch(() => {});
    await page.waitForFunction(() => window.such && window.such.state().note !== "", null, { timeout: 15000 }).catch(() => {});
    const seen = await page.evaluate(() => ({
      error: window.suchError,
      banner: document.getElementById("banner").textContent,
      message: document.getElementById("message").style.display,
      state: window.such ? window.such.state() : null,
    }));
    check(!seen.error && seen.message !== "flex" && !seen.banner.includes("loading") && seen.state && seen.state.view === "menu" &&
          seen.state.note.startsWith("Could not open link") && seen.state.note.includes(says) && seen.state.note.length < 200,
          `${tag} a ${hash.length}-character hash loads the menu with a short note: "${seen.state ? seen.state.note : seen.error}"`);
    await frames(page, 3);
    const colours = await distinctColours(page, join(args.out, `browser_${variant}_${name}.png`));
    check(colours > 20, `${tag} the page with that hash is drawn (${colours} colours)`);
  }
  // The same hashes while a scene is open: nothing changes, the address is put back.
  await page.evaluate(() => window.such.command("open race?seed=5"));
  await page.evaluate(() => window.such.command("step"));
  const before = await page.evaluate(() => window.such.state());
  for (const hash of [long, "#%E0%A4%A"]) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction(() => window.such.state().note.startsWith("Could not open link"), null, { timeout: 10000 }).catch(() => {});
    await page.waitForTimeout(100);
    const state = await page.evaluate(() => window.such.state());
    const address = await page.evaluate(() => location.hash);
    check(state.scene === before.scene && state.step === before.step && state.seed === before.seed && state.link === before.link &&
          address === before.link && state.note.startsWith("Could not open link"),
          `${tag} a ${hash.length}-character hash while a scene is open changes nothing (address ${address})`);
  }
  // A linked program that prints a 100,000-character line: drawn cut short, the page keeps running.
  await page.evaluate((c) => { location.hash = "#play?code=" + c; }, code("print(string.rep('v', 100000))\n"));
  await page.waitForFunction(() => window.such.state().link.startsWith("#play?code="), null, { timeout: 10000 }).catch(() => {});
  await page.evaluate(() => { window.such.command("run-program"); for (let i = 0; i < 4; i++) window.such.command("step"); });
  await frames(page, 4);
  const printed = await page.evaluate(() => ({ error: window.suchError, state: window.such.state() }));
  check(!printed.error && printed.state.outcome.length > 100000,
        `${tag} a linked program printing 100,000 characters runs and is drawn (${printed.error || printed.state.outcome.slice(0, 40)})`);
  await distinctColours(page, join(args.out, `browser_${variant}_long_output.png`));
}

// The playground, as a visitor uses it: keys, the mouse and the clipboard.
// A trace written by the native command line opens in the page, through the
// menu's file picker and by a drop, to the same step and the same events
// (trace hash) as natively; a broken one leaves the page as it was.
async function traces(page, variant) {
  const file = join(args.out, "bank_native.jsonl");
  const said = execFileSync(args.cli, ["run", "stm/bank", "--seed", "3", "--trace", file]).toString();
  const m = /steps +(\d+) .*\n[\s\S]*hash ([0-9a-f]{16})/.exec(said);
  check(m !== null, `[${variant}] the native run printed its steps and trace hash`);
  if (!m) return;
  const steps = Number(m[1]), hash = BigInt("0x" + m[2]).toString();
  await page.evaluate(() => window.such.command("open race?seed=2"));
  const [chooser] = await Promise.all([page.waitForEvent("filechooser", { timeout: 10000 }),
                                       page.evaluate(() => window.such.command("open-trace-file"))]);
  await chooser.setFiles(file);
  await page.waitForFunction(() => window.such.state().scene === "stm/bank", null, { timeout: 10000 }).catch(() => {});
  let state = await page.evaluate(() => window.such.state());
  check(state.scene === "stm/bank" && state.step === steps && state.trace_hash === hash,
        `[${variant}] the menu's file picker opens the native trace at step ${steps} with the native hash (got ${state.scene}, step ${state.step}, ${state.trace_hash})`);
  await page.evaluate(() => window.such.command("back"));
  state = await page.evaluate(() => window.such.state());
  check(state.step === steps - 1, `[${variant}] an opened trace steps back (step ${state.step})`);
  await page.waitForTimeout(200);
  await distinctColours(page, join(args.out, `browser_${variant}_trace.png`));
  // A drop of the same file, after another scene: the same run again.
  const text = readFileSync(file, "utf8");
  await page.evaluate(() => window.such.command("open race?seed=2"));
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], "bank.jsonl", { type: "application/json" }));
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForFunction(() => window.such.state().scene === "stm/bank", null, { timeout: 10000 }).catch(() => {});
  state = await page.evaluate(() => window.such.state());
  check(state.step === steps && state.trace_hash === hash, `[${variant}] a dropped trace opens the same run (step ${state.step})`);
  const before = await page.evaluate(() => window.such.state());
  const err = await page.evaluate((t) => window.such.command("trace-text " + t), text.slice(0, text.length / 2));
  state = await page.evaluate(() => window.such.state());
  check(err.includes("line ") && err.includes("(column ") && state.step === before.step && state.trace_hash === before.trace_hash,
        `[${variant}] a cut trace is refused with its line and changes nothing: "${err.slice(0, 80)}"`);
}

async function playground(page, variant, context) {
  const tag = `[${variant}] playground:`;
  // The menu's example, run from the menu: time from the press to the first step drawn.
  await page.evaluate(() => window.such.command("menu"));
  await frames(page, 3);
  let state = await page.evaluate(() => window.such.state());
  const [mx, my] = state.program.menu_run_button;
  check(mx > 0 && my > 0, `${tag} the menu shows a Run button beside the scenes (${mx}, ${my})`);
  // The press is timed in the page, from the mouse button going down.
  await page.evaluate(() => {
    window.suchPressed = 0;
    window.addEventListener("mousedown", () => {
      window.suchPressed = performance.now();
      window.suchPressedFrame = window.such.framesDrawn();
    }, { once: true, capture: true });
  });
  await page.mouse.click(mx, my);
  const run = await page.evaluate(() => new Promise((resolve) => {
    const started = performance.now();
    // Polled between frames, so after the frame that took the step has been
    // painted: that frame draws the playground too (the shell builds the
    // changed page again before presenting it).
    const poll = () => {
      const s = window.such.state();
      if (window.suchPressed && s.program.open && s.step >= 1) {
        resolve({ ms: performance.now() - window.suchPressed, frames: window.such.framesDrawn() - window.suchPressedFrame, state: s });
      } else if (performance.now() - started > 15000) {
        resolve({ ms: NaN, frames: NaN, state: s });
      } else {
        setTimeout(poll, 1);
      }
    };
    poll();
  }));
  const frame = await page.evaluate(() => new Promise((resolve) => {
    const t0 = performance.now();
    let n = 0;
    const f = () => (++n < 20 ? requestAnimationFrame(f) : resolve((performance.now() - t0) / 20));
    requestAnimationFrame(f);
  }));
  console.log(`${tag} Run on the menu's example to its first step drawn: ${run.ms.toFixed(1)} ms, ${run.frames} frames (goal 100 ms; frames here take ${frame.toFixed(0)} ms)`);
  // The goal is 100 ms (a benchmark's figure, printed above); the check only catches a Run that waits for the
  // player (500 ms at 2 steps/s, a dozen of these frames): the step comes in the frames that handle the press and
  // the release (a pointer move's frame may fall between). Counted in frames, not ms: a busy machine slows every
  // frame, and 476 ms under load failed a bound of 450 ms.
  check(run.frames <= 4 && run.state.program.example !== "" && run.state.step >= 1 && run.state.playing,
        `${tag} Run opened "${run.state.program.example}" and it is playing from step ${run.state.step}, ${run.frames} frames after the press`);
  await distinctColours(page, join(args.out, `browser_${variant}_play_run.png`));

  // A link carries a program and a seed.
  const race = "local x = shared(0)\nlocal function worker()\n  local tmp = x.value   -- read\n  x.value = tmp + 1     -- write\nend\ngo(worker)\ngo(worker)\n";
  await page.evaluate((h) => { location.hash = h; }, `#play?code=${code(race)}&seed=7`);
  await page.waitForFunction((h) => window.such.state().program.hash === h, fnv1a(race), { timeout: 10000 }).catch(() => {});
  state = await page.evaluate(() => window.such.state());
  check(state.program.open && state.program.hash === fnv1a(race) && state.program.length === Buffer.byteLength(race) && state.seed === 7,
        `${tag} #play?code= opened the same text (${state.program.length} bytes) with seed 7 (${state.seed})`);
  // Step it: seed 7's first two steps leave T1 at the write and T2 at the read.
  await page.evaluate(() => { window.such.command("step"); window.such.command("step"); });
  state = await page.evaluate(() => window.such.state());
  const line = (s, name) => s.tasks.find((t) => t.name === name).line;
  check(!state.program.editing && line(state, "T1") === 3 && line(state, "T2") === 2,
        `${tag} stepping shows the tasks at their lines (T1 ${line(state, "T1")}, T2 ${line(state, "T2")})`);
  await frames(page, 3);
  await distinctColours(page, join(args.out, `browser_${variant}_play_steps.png`));

  // Lua's errors unwind Lua and the engine as C++ exceptions (WebAssembly's own in the single-threaded build,
  // emscripten's JavaScript ones in the threaded build): a task's error and a syntax error reach the page with
  // their line, as natively (test_programs.cpp).
  const failing = "go(function()\n  error('boom')\nend)\n";
  await page.evaluate((h) => { location.hash = h; }, `#play?code=${code(failing)}&seed=1`);
  await page.waitForFunction((h) => window.such.state().program.hash === h, fnv1a(failing), { timeout: 10000 }).catch(() => {});
  await page.evaluate(() => window.such.command("seek 1000"));
  state = await page.evaluate(() => window.such.state());
  let error = state.program.error || {};
  check(state.program.hash === fnv1a(failing) && error.kind === "runtime" && error.line === 2 && String(error.message).includes("boom"),
        `${tag} a task's error shows with its line: ${JSON.stringify(error)}`);
  const broken = "go(function()\n  local x = = 1\nend)\n";
  await page.evaluate((h) => { location.hash = h; }, `#play?code=${code(broken)}`);
  await page.waitForFunction((h) => window.such.state().program.hash === h, fnv1a(broken), { timeout: 10000 }).catch(() => {});
  state = await page.evaluate(() => window.such.state());
  error = state.program.error || {};
  check(state.program.hash === fnv1a(broken) && error.kind === "syntax" && error.line === 2,
        `${tag} a syntax error shows with its line: ${JSON.stringify(error)}`);

  // Type a program: click at the end of the editor's text, then keys.
  await page.evaluate((c) => window.such.command("program " + c), code("-- typed\n"));
  await frames(page, 3);
  state = await page.evaluate(() => window.such.state());
  const [ex, ey, ew, eh] = state.program.editor;
  await page.mouse.click(ex + ew / 2, ey + eh - 10);
  // Keys typed before the click has reached the editor would be the page's shortcuts (P, N...).
  await page.waitForFunction(() => window.such.state().program.editor_active, null, { timeout: 10000 }).catch(() => {});
  const typed = 'go(function() print("a") end)\ngo(function() print("b") end)\n';
  await page.keyboard.type(typed);
  const expected = "-- typed\n" + typed;
  // The app takes typed keys over a few frames (a frame ends after each editing key).
  await page.waitForFunction((h) => window.such.state().program.hash === h, fnv1a(expected), { timeout: 10000 }).catch(() => {});
  state = await page.evaluate(() => window.such.state());
  check(state.program.hash === fnv1a(expected) && state.program.error === null,
        `${tag} typed text reached the editor (${state.program.length} of ${Buffer.byteLength(expected)} bytes)`);
  // Typing paused, the editor still has the keys: the page keeps drawing, so its caret blinks (an idle page's
  // last frame, drawn in the blink's off phase, left no caret; a review found it).
  await page.waitForTimeout(1500);
  const drawn = await page.evaluate(() => window.such.framesDrawn());
  await page.waitForTimeout(1000);
  const drawing = (await page.evaluate(() => window.such.framesDrawn())) - drawn;
  check(drawing >= 10, `${tag} with the editor taking keys the page keeps drawing (${drawing} frames in 1 s after a pause)`);
  // Paste one: the page's paste event (as Ctrl+V in a page fires it) inserts at the cursor.
  const pasted = 'go(function() print("pasted") end)\n';
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    document.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, pasted);
  await frames(page, 3);
  state = await page.evaluate(() => window.such.state());
  check(state.program.hash === fnv1a(expected + pasted), `${tag} pasted text went in at the cursor (${state.program.length} bytes)`);
  // And from the system clipboard with Ctrl+V.
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const system = 'print("from the clipboard")\n';
  await page.evaluate((t) => navigator.clipboard.writeText(t), system);
  await page.keyboard.press("Control+V");
  await page.waitForFunction((h) => window.such.state().program.hash === h, fnv1a(expected + pasted + system), { timeout: 10000 }).catch(() => {});
  state = await page.evaluate(() => window.such.state());
  check(state.program.hash === fnv1a(expected + pasted + system), `${tag} Ctrl+V pasted the system clipboard (${state.program.length} bytes)`);
  await distinctColours(page, join(args.out, `browser_${variant}_play_editor.png`));

  // Run it with the Run button; everything it printed shows.
  const [rx, ry] = state.program.run_button;
  await page.mouse.click(rx, ry);
  await page.waitForFunction(() => window.such.state().step >= 1, null, { timeout: 10000 }).catch(() => {});
  await page.evaluate(() => window.such.command("seek 1000"));
  state = await page.evaluate(() => window.such.state());
  const printed = [...state.program.output].sort().join(",");
  check(printed === "a,b,from the clipboard,pasted" && state.verdict === "finished", `${tag} the program ran: printed ${printed}`);
  await frames(page, 3);
  await distinctColours(page, join(args.out, `browser_${variant}_play_output.png`));

  // Copy link: the page's address and the program's hash on the clipboard.
  check((await page.evaluate(() => window.such.command("copy-link"))) === "", `${tag} copy-link is accepted`);
  await frames(page, 2);
  const copied = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => "error: " + e.message);
  check(copied === (await page.evaluate(() => location.href)) && copied.includes("#play?code="),
        `${tag} the copied link is the page's address: ${copied.slice(0, 60)}...`);

  // A bad link changes nothing: the same page and program, a note, and the address put back.
  const before = await page.evaluate(() => window.such.state());
  await page.evaluate(() => { location.hash = "#play?code=not*base64"; });
  await page.waitForFunction(() => window.such.state().note.includes("not base64url"), null, { timeout: 10000 }).catch(() => {});
  state = await page.evaluate(() => window.such.state());
  check(state.view === before.view && state.note.includes("not base64url") && state.program.hash === before.program.hash &&
        (await page.evaluate(() => location.hash)) === before.link,
        `${tag} a bad code keeps the page, the program and the address, with a note: "${state.note}"`);
  // The last program is kept in local storage.
  const kept = await page.evaluate(() => localStorage.getItem("such.program"));
  check(fnv1a(kept || "") === before.program.hash, `${tag} the last program is kept in local storage (${(kept || "").length} characters)`);
}

// A phone: a tap leaves no pointer behind, so no tooltip or hover stays where the finger was (without
// ui/shell.cpp's Touch the pointer stays where the tap was, and the idle page's last frame keeps the hover);
// and the next tap still acts (SDL's touch sends its mouse press before its finger-down: a review found
// every tap after the first ignored).
async function phone(browser, url) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(url + "#play?example=counter_race");
  await waitForApp(page);
  await page.touchscreen.tap(300, 47);  // beside the headline "not started": nothing happens
  await page.waitForTimeout(500);
  let state = await page.evaluate(() => window.such.state());
  check(state.pointer === false && state.step === 0, `[phone] after a tap ImGui has no pointer over the page (pointer: ${state.pointer})`);
  const [rx, ry] = state.program.run_button;
  await page.touchscreen.tap(rx, ry);
  await page.waitForTimeout(500);
  state = await page.evaluate(() => window.such.state());
  check(state.step >= 1 && state.pointer === false, `[phone] the second tap, on Run, runs the program (step ${state.step}; pointer: ${state.pointer})`);
  // Step stays under the finger: three taps where it was drawn take three steps (in the page below panes that
  // grow a line a step, the next taps landed on the lanes: a review took one step for three taps).
  await page.evaluate(() => window.such.command("pause"));
  await page.waitForTimeout(300);
  state = await page.evaluate(() => window.such.state());
  const [sx, sy] = state.step_button, from = state.step;
  for (let i = 0; i < 3; i++) {
    await page.touchscreen.tap(sx, sy);
    await page.waitForTimeout(300);
  }
  state = await page.evaluate(() => window.such.state());
  check(state.step === from + 3 || state.verdict !== "running", `[phone] three taps at Step take three steps (${from} -> ${state.step})`);
  // A phone's keyboard (index.html): a tap on the editor focuses the page's hidden text field, which is what
  // opens a virtual keyboard; what it types (a virtual keyboard's input events, key code 229) reaches the
  // editor's caret, its backspace erases, and a key SDL hears itself (a hardware key) goes in once, not twice.
  await page.evaluate(() => window.such.command("edit"));
  await page.waitForTimeout(300);
  state = await page.evaluate(() => window.such.state());
  const [ex, ey, ew, eh] = state.program.editor;
  const before = state.program.length;
  await page.touchscreen.tap(ex + ew / 2, ey + eh - 10);
  await page.waitForTimeout(300);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(focused === "keys", `[phone] a tap on the editor focuses the hidden field a keyboard types into (focus: ${focused})`);
  const virtual = async (inputType, data) => page.evaluate(([type, text]) => {
    const keys = document.getElementById("keys");
    keys.dispatchEvent(new KeyboardEvent("keydown", { key: "Unidentified", keyCode: 229, bubbles: true }));
    if (text) keys.value += text;
    keys.dispatchEvent(new InputEvent("input", { inputType: type, data: text, bubbles: true }));
  }, [inputType, data]);
  await virtual("insertText", "q");
  await virtual("insertText", "é");
  await page.waitForTimeout(300);
  state = await page.evaluate(() => window.such.state());
  check(state.program.length === before + 3, `[phone] a virtual keyboard's "q" and "é" reach the editor (${before} -> ${state.program.length} bytes)`);
  await virtual("deleteContentBackward", null);
  await page.waitForTimeout(300);
  state = await page.evaluate(() => window.such.state());
  check(state.program.length === before + 1, `[phone] its backspace erases one character, "é" (${state.program.length} bytes)`);
  await page.keyboard.press("z");
  await page.waitForTimeout(300);
  state = await page.evaluate(() => window.such.state());
  check(state.program.length === before + 2, `[phone] a hardware key goes in once (${state.program.length} bytes)`);
  await page.evaluate(() => window.such.command("menu"));
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(after !== "keys", `[phone] once the editor is gone the field lets go, and the keyboard with it (focus: ${after})`);
  await context.close();
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-quic", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
         "--ignore-gpu-blocklist"],
});

const only = args.variant;  // --variant st|mt runs one build only
for (const [variant, extra] of [["mt", []], ["st", ["--no-isolation"]]]) {
  if (only && only !== variant) continue;
  const { url, proc } = await serve(extra);
  try {
    {
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      const page = await context.newPage();
      const logs = [];
      page.on("console", (m) => logs.push(m.text()));
      page.on("pageerror", (e) => logs.push("pageerror: " + e.message));
      const wasm = [];
      page.on("response", (r) => { if (r.url().endsWith(".wasm")) wasm.push(r); });

      await page.goto(url + "#race?seed=7");
      await waitForApp(page);
      let state = await page.evaluate(() => window.such.state());
      // The download: the build's WebAssembly comes gzip-compressed, within the 1 MB the issue (#19) allows.
      check(wasm.length === 1, `[${variant}] the page fetched one WebAssembly file (${wasm.map((r) => r.url()).join(", ")})`);
      for (const r of wasm) {
        const h = r.headers(), bytes = Number(h["content-length"]);
        check(h["content-encoding"] === "gzip" && bytes > 0 && bytes <= 1 << 20,
              `[${variant}] ${r.url().split("/").pop()} arrives gzipped in ${bytes} bytes (at most 1 MB; encoding ${h["content-encoding"]})`);
      }
      check(state.variant === variant, `[${variant}] the page loaded the ${variant} build (got ${state.variant})`);
      const banner = await page.textContent("#banner");
      check(banner.includes(variant === "mt" ? "threaded" : "single-threaded"), `[${variant}] the page says which build: "${banner}"`);
      check(state.scene === "atomicity/race" && state.seed === 7, `[${variant}] the deep link opened race with seed 7`);
      check(state.step === 0, `[${variant}] the scene starts at step 0`);
      // A paused scene with no input draws a frame every half second (the page keeps the last one between);
      // a command draws again at once.
      await page.waitForTimeout(1500);
      const quiet = await page.evaluate(() => window.such.framesDrawn());
      await page.waitForTimeout(2000);
      const stillQuiet = await page.evaluate(() => window.such.framesDrawn());
      check(stillQuiet - quiet <= 5, `[${variant}] nothing moving, the page draws 2 frames a second (${stillQuiet - quiet} in 2 s; about 30 a second when it draws them all)`);
      await page.evaluate(() => window.such.command("zoom+") || window.such.command("zoom-"));
      await page.waitForTimeout(300);
      check((await page.evaluate(() => window.such.framesDrawn())) > stillQuiet, `[${variant}] a command from the page draws again`);

      for (let i = 0; i < 6; i++) await page.evaluate(() => window.such.command("step"));
      state = await page.evaluate(() => window.such.state());
      check(state.step === 6 && state.verdict === "finished", `[${variant}] six steps finish the race (step ${state.step}, ${state.verdict})`);
      check(state.objects.foo === "1" && state.bad, `[${variant}] seed 7 loses an update, as natively: "${state.outcome}"`);
      check(state.trace_hash === "442033037422770362", `[${variant}] same trace hash as the native engine for seed 7`);
      await page.waitForTimeout(300);
      const colours = await distinctColours(page, join(args.out, `browser_${variant}.png`));
      check(colours > 50, `[${variant}] the canvas is not blank (${colours} colours)`);

      await page.focus("#canvas");
      await page.keyboard.press("ArrowLeft");
      await page.waitForFunction(() => window.such.state().step !== 6, null, { timeout: 10000 }).catch(() => {});
      state = await page.evaluate(() => window.such.state());
      check(state.step === 5, `[${variant}] the left arrow steps back (step ${state.step})`);

      // The same program on real threads: Web Workers in the threaded build only.
      await page.evaluate(() => window.such.command("open counter?sync=2&threads=2&m=1"));
      const realErr = await page.evaluate(() => window.such.command("real"));
      if (variant === "mt") {
        check(realErr === "", `[${variant}] a real-thread run starts (${realErr || "ok"})`);
        await page.waitForFunction(() => !window.such.state().real.startsWith("running"), null, { timeout: 60000 });
        state = await page.evaluate(() => window.such.state());
        check(state.real.startsWith("counter = 200000: every increment counted"), `[${variant}] real atomic counter on Web Workers: "${state.real}"`);
        await page.waitForTimeout(300);
        await distinctColours(page, join(args.out, `browser_${variant}_real.png`));
      } else {
        check(realErr.includes("threaded build"), `[${variant}] real threads are refused with a reason: "${realErr}"`);
      }

      // The explorer: on a worker (threaded build) or in slices per frame (single-threaded).
      await page.evaluate(() => window.such.command("open race?seed=1"));
      const exErr = await page.evaluate(() => window.such.command("explore"));
      await page.waitForFunction(() => !window.such.state().explorer.running, null, { timeout: 60000 });
      state = await page.evaluate(() => window.such.state());
      check(exErr === "" && state.explorer.complete && state.explorer.outcomes.join("|") === "foo = 2|foo = 1",
            `[${variant}] the explorer finds both outcomes: ${JSON.stringify(state.explorer)}`);
      await page.waitForTimeout(300);
      await distinctColours(page, join(args.out, `browser_${variant}_explorer.png`));

      // Transactions: the bank scene steps to the same trace as natively, and
      // (threaded build) runs its transfers as a real STM on Web Workers.
      await page.evaluate(() => window.such.command("open stm/bank?seed=7"));
      state = await page.evaluate(() => {
        for (let i = 0; i < 2000 && window.such.state().verdict === "running"; i++) window.such.command("step");
        return window.such.state();
      });
      check(state.trace_hash === "15103122698776276486" && state.outcome.startsWith("total = 300: conserved"),
            `[${variant}] the STM bank gives the native trace for seed 7: "${state.outcome}"`);
      await page.evaluate(() => window.such.command("tab contention"));
      await page.waitForTimeout(300);
      await distinctColours(page, join(args.out, `browser_${variant}_stm.png`));
      if (variant === "mt") {
        const stmErr = await page.evaluate(() => window.such.command("real"));
        await page.waitForFunction(() => !window.such.state().real.startsWith("running"), null, { timeout: 60000 });
        state = await page.evaluate(() => window.such.state());
        check(stmErr === "" && state.real.startsWith("total = 300: conserved"), `[${variant}] real STM transfers on Web Workers: "${state.real}"`);
      }

      // Back and Forward walk the app's own places: each scene opened is an
      // entry of the browser's history, and going back opens the one before.
      await page.evaluate(() => history.back());
      await page.waitForFunction(() => window.such.state().scene !== "stm/bank", null, { timeout: 10000 }).catch(() => {});
      state = await page.evaluate(() => window.such.state());
      check(state.scene === "atomicity/race" && state.seed === 1, `[${variant}] Back returns to the scene before, race with seed 1 (${state.scene}, seed ${state.seed})`);
      await page.evaluate(() => history.forward());
      await page.waitForFunction(() => window.such.state().scene === "stm/bank", null, { timeout: 10000 }).catch(() => {});
      state = await page.evaluate(() => window.such.state());
      check(state.scene === "stm/bank" && state.seed === 7, `[${variant}] Forward returns to the bank with seed 7 (${state.scene}, seed ${state.seed})`);

      // Channels: the cake scene gives the native trace, and runs on Web Workers (threaded build).
      await page.evaluate(() => window.such.command("open csp/cake?seed=2"));
      state = await page.evaluate(() => {
        for (let i = 0; i < 500 && window.such.state().verdict === "running"; i++) window.such.command("step");
        return window.such.state();
      });
      check(state.trace_hash === "1656454140775954656" && state.outcome.startsWith("all 4 of 4 cakes packed, in order"),
            `[${variant}] the cake scene gives the native trace for seed 2: "${state.outcome}"`);
      await distinctColours(page, join(args.out, `browser_${variant}_csp.png`));
      if (variant === "mt") {
        const cspErr = await page.evaluate(() => window.such.command("real"));
        await page.waitForFunction(() => !window.such.state().real.startsWith("running"), null, { timeout: 60000 });
        state = await page.evaluate(() => window.such.state());
        check(cspErr === "" && state.real.startsWith("all 80000 of 80000 cakes packed, in order"), `[${variant}] real channels on Web Workers: "${state.real}"`);
      }

      // The browser's own event loop against ours: the ordering puzzles that use
      // only what browsers have (timeouts, promises) print the same order here.
      for (const puzzle of [4, 5]) {
        await page.evaluate((p) => window.such.command(`open loop/ordering?puzzle=${p}`), puzzle);
        await page.evaluate(() => window.such.command("seek 100000"));
        state = await page.evaluate(() => window.such.state());
        const ours = state.outcome.replace(/^printed: /, "").split(". ")[0].split(", ");
        const theirs = await page.evaluate((js) => new Promise((resolve) => {
          const printed = [];
          new Function("console", js)({ log: (text) => printed.push(text) });
          setTimeout(() => resolve(printed), 300);
        }), state.listing);
        check(JSON.stringify(ours) === JSON.stringify(theirs),
              `[${variant}] puzzle ${puzzle}: the browser's event loop prints what ours does: ${theirs.join(", ")}`);
      }

      // Talk mode: a deep link to a slide, the clicker's Page Down, the notes
      // overlay (N) following the slide, the address bar following the talk.
      await page.evaluate(() => window.such.command("open slide/3"));
      state = await page.evaluate(() => window.such.state());
      check(state.view === "talk" && state.talk.slide === 3, `[${variant}] #slide/3 opens slide 3 (${state.talk.slide})`);
      await page.focus("#canvas");
      await page.keyboard.press("PageDown");
      await page.keyboard.press("KeyN");
      await page.waitForFunction(() => window.such.state().talk.slide === 4 && window.such.state().talk.notes_overlay, null, { timeout: 10000 }).catch(() => {});
      state = await page.evaluate(() => window.such.state());
      check(state.talk.slide === 4 && state.talk.notes_overlay && state.talk.notes.startsWith("People use these words"),
            `[${variant}] Page Down moves on and the notes follow: slide ${state.talk.slide}, "${state.talk.notes.slice(0, 30)}"`);
      await page.waitForTimeout(300);
      check((await page.evaluate(() => location.hash)) === "#slide/4", `[${variant}] the address bar follows the talk`);
      await distinctColours(page, join(args.out, `browser_${variant}_talk.png`));
      await page.keyboard.press("KeyN");
      await page.evaluate(() => window.such.command("open race?seed=1"));

      const err = await page.evaluate(() => window.such.command("seed -1"));
      check(err.includes("seed must be"), `[${variant}] a bad command is refused: "${err}"`);

      await playground(page, variant, context);
      await traces(page, variant);

      // A fresh load with a bad hash (a hash change on the open page is refused and the address put back).
      await page.goto("about:blank");
      await page.goto(url + "#no-such-scene?seed=2");
      await waitForApp(page);
      // Under load the reloaded page may take a few frames to show the menu.
      await page.waitForFunction(() => window.such.state().view === "menu", null, { timeout: 15000 }).catch(() => {});
      state = await page.evaluate(() => window.such.state());
      check(state.view === "menu" && state.note.includes("no scene called"), `[${variant}] a bad deep link shows the menu with a note: "${state.note}"`);
      await distinctColours(page, join(args.out, `browser_${variant}_bad_link.png`));
      await badHashes(page, url, variant);
      if (variant === "st") {
        // Asking for the threaded build on a page that is not isolated: a message, not a blank canvas.
        await page.goto(url + "?variant=mt#race");
        await page.waitForFunction(() => window.suchError, null, { timeout: 20000 });
        const shown = await page.isVisible("#message");
        const text = await page.textContent("#message-text");
        check(shown && text.includes("cross-origin isolated"), `[${variant}] a build that cannot start says why: "${text}"`);
        await page.screenshot({ path: join(args.out, "browser_message.png") });
        // A browser that knows WebGL2 but cannot make a context (disabled, a blocklisted GPU): the page
        // no longer makes one to check (index.html), so the app says it, in the page's message.
        const noGl = await context.newPage();
        await noGl.addInitScript(() => {
          const make = HTMLCanvasElement.prototype.getContext;
          HTMLCanvasElement.prototype.getContext = function (type, ...rest) { return type === "webgl2" ? null : make.call(this, type, ...rest); };
        });
        await noGl.goto(url + "#race");
        await noGl.waitForFunction(() => window.suchError, null, { timeout: 30000 });
        const glText = await noGl.textContent("#message-text");
        check(await noGl.isVisible("#message") && glText.includes("cannot create a WebGL2 context") && glText.includes("hardware acceleration"),
              `[${variant}] a browser that cannot make a WebGL2 context is told so: "${glText}"`);
        await noGl.screenshot({ path: join(args.out, "browser_no_webgl.png") });
        await noGl.close();
      }
      if (failures) console.log(logs.join("\n"));
      await context.close();
    }
    if (variant === "st") await phone(browser, url);
  } catch (e) {
    console.log(`FAIL [${variant}] ${e.message}`);
    failures++;
  } finally {
    proc.kill();
  }
}
await browser.close();
console.log(failures ? `${failures} browser check(s) failed` : "browser e2e passed");
process.exit(failures ? 1 : 0);
