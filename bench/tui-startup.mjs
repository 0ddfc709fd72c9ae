// How long until `intercom-kit` shows its first frame, against a bare `node` start, in the same run.
//   pipe: spawn `intercom-kit update --render-once` (no token: the embedded sandbox starts, as for a newcomer) and
//         stop the clock at the first byte of the first frame; baseline `node -e 0` to exit.
//   tmux: the real interactive screen in a pseudo-terminal, polled with capture-pane until the identify question is
//         drawn; baseline `node -e "console.log('ready')"` in the same kind of pane until "ready" shows.
// Rounds are interleaved (order alternates) so machine noise hits both sides alike. Goal: pipe ratio <= 4x.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { inkDevtoolsStub, yogaWithoutFetch } from "../apps/tui/esbuild-plugins.mjs";
import { markdownTable, summarize, writeResults } from "./lib/report.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const TMUX_ROUNDS = Number(process.env.BENCH_TMUX_ROUNDS ?? 7);
const GOAL = 4;
const CLI = fileURLToPath(new URL("../apps/tui/dist/cli.js", import.meta.url));

if (!existsSync(CLI)) {
  console.error(`Missing ${CLI}: run \`pnpm --filter intercom-kit build\` (or \`pnpm bench\`) first.`);
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), "ik-bench-"));

// A floor for comparison: the smallest Ink app (one <Text>, rendered once), bundled with the same esbuild fixes.
const APP_DIR = fileURLToPath(new URL("../apps/tui/", import.meta.url));
const { build } = createRequire(join(APP_DIR, "package.json"))("esbuild");
const HELLO = join(home, "ink-hello.mjs");
await build({
  stdin: {
    contents: `import { render, Text } from "ink";\nconst app = render(<Text>intercom-kit hello</Text>);\napp.unmount();`,
    resolveDir: APP_DIR,
    loader: "tsx",
  },
  outfile: HELLO,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  jsx: "automatic",
  define: { "process.env.NODE_ENV": '"production"', "process.env.DEV": "undefined" },
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  plugins: [inkDevtoolsStub, yogaWithoutFetch],
  logLevel: "error",
});
// No token and a private config dir: the binary starts its embedded sandbox like on a fresh machine. No CI: Ink
// would otherwise hold frames back until exit.
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, TERM: "xterm-256color" };
// Without a terminal Ink asks terminal-size, which spawns `tput` twice (~40 ms) when COLUMNS/LINES are unset; a real
// terminal reports its size directly, so the pipe rows give the size the way a terminal would.
const pipeEnv = { ...env, COLUMNS: "120", LINES: "40" };

function timeUntil(args, done) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env: pipeEnv, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    let stopped = null;
    child.stdout.on("data", (d) => {
      out += d.toString();
      if (stopped === null && done === "frame" && out.includes("intercom-kit")) stopped = performance.now() - start;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}`));
      else resolve(done === "frame" ? (stopped ?? Number.NaN) : performance.now() - start);
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function tmuxUntil(command, marker, name) {
  const socket = `${name}-sock`;
  const tmux = (...argv) => execFileSync("tmux", ["-L", socket, ...argv], { env, encoding: "utf8" });
  const start = performance.now();
  tmux("-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", `${command}; sleep 30`);
  try {
    for (;;) {
      if (tmux("capture-pane", "-p", "-t", name).includes(marker)) return performance.now() - start;
      if (performance.now() - start > 20_000) throw new Error(`no "${marker}" within 20 s`);
      await sleep(5);
    }
  } finally {
    try {
      tmux("kill-server");
    } catch {}
  }
}

const pipe = { node: [], app: [], ink: [] };
const pty = { node: [], app: [] };
try {
  // Warm the file cache once for each side.
  await timeUntil(["-e", "0"], "exit");
  await timeUntil([CLI, "update", "--render-once"], "frame");
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ["node", "ink", "app"] : ["app", "ink", "node"];
    for (const side of order) {
      if (side === "node") pipe.node.push(await timeUntil(["-e", "0"], "exit"));
      else if (side === "ink") pipe.ink.push(await timeUntil([HELLO], "frame"));
      else pipe.app.push(await timeUntil([CLI, "update", "--render-once"], "frame"));
    }
  }
  const hasTmux = spawnSync("sh", ["-c", "command -v tmux"]).status === 0;
  if (hasTmux) {
    for (let round = 0; round < TMUX_ROUNDS; round++) {
      const order = round % 2 === 0 ? ["node", "app"] : ["app", "node"];
      for (const side of order) {
        const name = `ik-bench-${process.pid}-${round}-${side}`;
        if (side === "node") {
          pty.node.push(await tmuxUntil(`'${process.execPath}' -e "console.log('ready')"`, "ready", name));
        } else {
          pty.app.push(await tmuxUntil(`'${process.execPath}' '${CLI}' update`, "How do you want", name));
        }
      }
    }
  } else {
    console.error("tmux not found: the pseudo-terminal rows are left out (apt-get install tmux to include them).");
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

const size = statSync(CLI).size;
const chunksDir = fileURLToPath(new URL("../apps/tui/dist/chunks/", import.meta.url));
const total = existsSync(chunksDir)
  ? readdirSync(chunksDir).reduce((sum, f) => sum + statSync(join(chunksDir, f)).size, size)
  : size;
const p = { node: summarize(pipe.node), app: summarize(pipe.app), ink: summarize(pipe.ink) };
const ratio = p.app.median / p.node.median;
const inkRatio = p.ink.median / p.node.median;
const rows = [
  ["pipe", "node -e 0 (start to exit)", p.node.n, p.node.median, p.node.p90, "1"],
  [
    "pipe",
    "floor: smallest bundled Ink app (start to first frame)",
    p.ink.n,
    p.ink.median,
    p.ink.p90,
    inkRatio.toFixed(2),
  ],
  [
    "pipe",
    "intercom-kit update --render-once (start to first frame)",
    p.app.n,
    p.app.median,
    p.app.p90,
    ratio.toFixed(2),
  ],
];
let ptyRatio = null;
if (pty.app.length > 0) {
  const t = { node: summarize(pty.node), app: summarize(pty.app) };
  ptyRatio = t.app.median / t.node.median;
  rows.push(
    ["tmux", "node prints 'ready' (start to visible)", t.node.n, t.node.median, t.node.p90, "1"],
    ["tmux", "intercom-kit update (start to identify screen)", t.app.n, t.app.median, t.app.p90, ptyRatio.toFixed(2)],
  );
}
const table = markdownTable(["mode", "what", "n", "median ms", "p90 ms", "ratio to node"], rows);
writeResults("tui-startup", {
  title: "intercom-kit: time to first frame vs a bare node start",
  table,
  notes: [
    `bundle: apps/tui/dist/cli.js ${(size / 1024).toFixed(1)} KB entry, ${(total / 1024).toFixed(1)} KB with the chunks it loads on demand (minified ESM, everything bundled; the UI chunk loads only for the terminal UI)`,
    `goal: first frame <= ${GOAL}x \`node -e 0\` (pipe mode): ${ratio <= GOAL ? "met" : "NOT met"} (${ratio.toFixed(2)}x)`,
    "pipe mode includes starting the embedded sandbox (no token configured), as a newcomer's first run does",
    `intercom-kit's own cost above the Ink floor: ${(p.app.median - p.ink.median).toFixed(0)} ms (median), i.e. ${(p.app.median / p.ink.median).toFixed(2)}x the smallest Ink app`,
    "tmux mode polls capture-pane every ~5 ms, so both of its rows carry the same polling and tmux start cost",
    `rounds interleaved, order alternating: ${ROUNDS} pipe, ${pty.app.length} tmux`,
  ],
  data: {
    goal: GOAL,
    bundleBytes: { entry: size, total },
    ratio,
    inkRatio,
    ptyRatio,
    samples: { pipe, tmux: pty },
  },
});
