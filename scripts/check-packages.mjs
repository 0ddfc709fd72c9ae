#!/usr/bin/env node
// The packages as people get them. For every public workspace package: `pnpm pack`, then check the tarball (no
// workspace:/catalog: left, every exports/bin target inside, `types` first, engines), lint it with publint and
// @arethetypeswrong/cli (any problem fails), and use it outside the workspace with plain npm and a fresh HOME:
//   - each application (the CLI `intercom-kit`, the agent server `intercom-kit-mcp`) installed globally into an
//     empty prefix (offline: it must need nothing but itself), its files parsed to prove every import and require is
//     inside it or a Node built-in (a require quoted in a string is not one), then run: the CLI's --version, --help,
//     completion, `sandbox --json` + an update against that sandbox, the embedded sandbox, the Ink UI; the agent
//     server over stdio: exactly its three tools, and find_user on the embedded sandbox, saying so;
//   - the libraries installed from their tarballs into an empty project, then examples/library-usage run from
//     plain Node and from TypeScript (node16 and bundler resolution), and every `exports` entry imported.
// Then: the .vsix packaged warning-free and inspected (its install is the e2e test's job), `changeset version` in a
// scratch copy (every versioned package bumped, changelog written), and `pnpm publish --dry-run` of every tarball
// against a local registry that answers nothing and records every request: no write may reach it.
//
// Usage: pnpm check:packages [--keep]     (--keep leaves the temporary directory for inspection)
// Network: only the npm registry, for the library consumers' third-party dependencies and TypeScript.
import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { builtinModules } from "node:module";
import { homedir, tmpdir } from "node:os";
import { basename, delimiter, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const KEEP = process.argv.includes("--keep");
const STARTED = Date.now();
const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;
/** Every public package must be one of these or a new one; these five must stay public. */
const MUST_BE_PUBLIC = [
  "@intercom-kit/core",
  "@intercom-kit/domain",
  "@intercom-kit/sandbox",
  "intercom-kit",
  "intercom-kit-mcp",
];
/**
 * attw runs with `--profile esm-only`, which leaves out these two resolutions. The libraries are ESM-only by design
 * ("type": "module", only `import` conditions; the apps bundle them): a `require()` resolving to ESM
 * (CJSResolvesToESM, node16-cjs) is that design, not a mistake, and Node >= 20.19 (our engines) can even require()
 * them since they have no top-level await; node10 resolution has no `exports`, so subpaths cannot resolve there.
 * Every other problem, in node16-from-ESM and bundler resolution, fails the check.
 */
const ATTW_IGNORED_RESOLUTIONS = new Set(["node10", "node16-cjs"]);

// --- plumbing ------------------------------------------------------------------------------------------------------
const secrets = new Set();
const redact = (text) => {
  let out = String(text);
  for (const s of secrets) if (s) out = out.split(s).join("<redacted>");
  // Sandbox tokens (sbx_...) seen before they could be registered, e.g. in a half-read line.
  return out.replace(/\bsbx_[A-Za-z0-9_-]+/g, "sbx_<redacted>");
};

class CheckError extends Error {}
function assert(condition, message) {
  if (!condition) throw new CheckError(typeof message === "function" ? message() : message);
}

const children = new Set();
/** Runs a command to its end; never throws for a non-zero exit (the caller asserts). */
function exec(cmd, args, { cwd = ROOT, env = process.env, timeoutMs = 180_000, input = "" } = {}) {
  return new Promise((done) => {
    let stdout = "";
    let stderr = "";
    let settled = false;
    const child = spawn(cmd, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    children.add(child);
    const finish = (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      children.delete(child);
      done({ code, stdout, stderr });
    };
    const timer = setTimeout(() => {
      stderr += `\n[${cmd} killed after ${timeoutMs} ms]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", (error) => {
      stderr += `\n${error.message}`;
      finish(127);
    });
    child.on("close", (code, signal) => finish(code ?? (signal ? 128 : 1)));
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/** exec, and fail unless it exits 0; the message carries the (redacted) output. */
async function must(cmd, args, options = {}) {
  const r = await exec(cmd, args, options);
  assert(
    r.code === 0,
    () =>
      `${[basename(cmd), ...args].join(" ")} exited ${r.code}\n--- stdout ---\n${r.stdout.slice(-3000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`,
  );
  return r;
}

const execFileSyncOk = (cmd, args) => spawnSync(cmd, args, { cwd: ROOT, stdio: "ignore" }).status === 0;

const summary = [];
/** One named check: prints what it found, records pass/fail, and never stops the others. */
async function step(title, fn) {
  const started = Date.now();
  console.log(`--> ${title}`);
  try {
    const value = await fn((line) => console.log(`    ${redact(line)}`));
    summary.push({ title, ok: true, ms: Date.now() - started });
    return value;
  } catch (error) {
    const text = error instanceof CheckError ? error.message : (error?.stack ?? String(error));
    console.log(`    FAILED: ${redact(text).split("\n").join("\n    ")}`);
    summary.push({ title, ok: false, ms: Date.now() - started });
    return undefined;
  }
}
function notRun(title, because) {
  console.log(`--> ${title}\n    FAILED: not run, because ${because}`);
  summary.push({ title, ok: false, ms: 0 });
}

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
function walk(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, base));
    else out.push(relative(base, path).split(sep).join("/"));
  }
  return out.sort();
}

/** pnpm itself: the one running this script (npm_execpath: a native binary or a JS file), else `pnpm` on PATH. */
function pnpmCommand() {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(basename(execpath)) && existsSync(execpath)) {
    const head = readFileSync(execpath).subarray(0, 4);
    const native = head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || head.subarray(0, 2).toString() === "#!";
    return native ? [execpath, []] : [process.execPath, [execpath]];
  }
  return ["pnpm", []];
}
const [PNPM, PNPM_ARGS] = pnpmCommand();
const pnpm = (args, options) => must(PNPM, [...PNPM_ARGS, ...args], options);

/**
 * The environment of a person who just installed Node: a fresh HOME, no npm/pnpm settings of this workspace, no
 * tokens, and a PATH without any of the workspace's node_modules/.bin folders.
 */
function userEnv(home, extra = {}) {
  const env = {};
  const pass = ["LANG", "LC_ALL", "TERM", "TMPDIR", "TZ", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE"];
  for (const key of pass) if (process.env[key] !== undefined) env[key] = process.env[key];
  // The registry and proxies are the network's, not this workspace's: a machine behind a proxy or mirror keeps them.
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(https?_proxy|no_proxy|all_proxy)$/i.test(key)) env[key] = value;
    if (/^npm_config_(registry|proxy|https_proxy|noproxy|strict_ssl|cafile)$/i.test(key)) env[key] = value;
  }
  const path = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((p) => p && !resolve(p).startsWith(ROOT + sep) && !/node_modules[\\/]\.bin/.test(p));
  return {
    ...env,
    PATH: path.join(delimiter),
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    npm_config_cache: join(home, ".npm"),
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    npm_config_loglevel: "error",
    ...extra,
  };
}

// --- the workspace -------------------------------------------------------------------------------------------------
function yamlBlock(text, key) {
  const match = text.match(new RegExp(`^${key}:\\s*\\n((?:[ \\t]+.*\\n?|\\s*\\n)*)`, "m"));
  return match ? match[1] : "";
}
function workspace() {
  const yaml = readFileSync(join(ROOT, "pnpm-workspace.yaml"), "utf8");
  const globs = [...yamlBlock(yaml, "packages").matchAll(/^\s+-\s+["']?([^"'\s#]+)["']?/gm)].map((m) => m[1]);
  assert(globs.length > 0, "pnpm-workspace.yaml lists no packages");
  const catalog = {};
  for (const m of yamlBlock(yaml, "catalog").matchAll(/^\s+["']?([^"':\s]+)["']?:\s*["']?([^"'\s#]+)["']?/gm))
    catalog[m[1]] = m[2];
  const dirs = [];
  for (const glob of globs) {
    if (glob.endsWith("/*")) {
      const base = join(ROOT, glob.slice(0, -2));
      if (!existsSync(base)) continue;
      for (const name of readdirSync(base).sort()) dirs.push(join(base, name));
    } else dirs.push(join(ROOT, glob));
  }
  const packages = dirs
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, rel: relative(ROOT, dir), pkg: readJson(join(dir, "package.json")) }));
  return { packages, catalog };
}

// --- exports maps --------------------------------------------------------------------------------------------------
/** [subpath, value] pairs of an exports field (sugar forms included). */
function exportEntries(exportsField) {
  if (typeof exportsField === "string" || Array.isArray(exportsField)) return [[".", exportsField]];
  const keys = Object.keys(exportsField ?? {});
  if (keys.length > 0 && keys.every((k) => !k.startsWith("."))) return [[".", exportsField]];
  return keys.map((k) => [k, exportsField[k]]);
}
function targetsOf(value) {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(targetsOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(targetsOf);
  return [];
}
/** Every condition object that has `types` has it first (TypeScript takes the first matching condition). */
function typesFirstEverywhere(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return true;
  const keys = Object.keys(value);
  if (keys.includes("types") && keys[0] !== "types") return false;
  return Object.values(value).every(typesFirstEverywhere);
}
const isCode = (target) => /\.(c|m)?js$/.test(target);
const patternToRegExp = (pattern) =>
  new RegExp(
    `^${pattern
      .replace(/^\.\//, "")
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace("\\*", "(.+)")
      .replace("*", "(.+)")}$`,
  );

/**
 * The concrete import specifiers a package offers (`name`, `name/sub`), wildcards expanded against its files,
 * each with whether it is JSON (imported with a type attribute) or code.
 */
function specifiersOf(manifest, files) {
  const out = [];
  for (const [subpath, value] of exportEntries(manifest.exports)) {
    if (value === null) continue;
    const targets = targetsOf(value);
    const json = targets.every((t) => t.endsWith(".json"));
    if (!subpath.includes("*")) {
      out.push({ subpath, specifier: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, json });
      continue;
    }
    const code = targets.find(isCode) ?? targets[0];
    const re = patternToRegExp(code);
    for (const file of files) {
      const m = file.match(re);
      if (m) {
        const concrete = subpath.replace("*", m[1]);
        out.push({ subpath: concrete, specifier: `${manifest.name}/${concrete.slice(2)}`, json });
      }
    }
  }
  return out;
}

// --- tarballs ------------------------------------------------------------------------------------------------------
const DEP_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"];

async function unpack(tgz, into) {
  mkdirSync(into, { recursive: true });
  await must("tar", ["-xzf", tgz, "-C", into]);
  const root = join(into, "package");
  assert(existsSync(join(root, "package.json")), `${basename(tgz)} has no package/package.json`);
  return { root, files: walk(root), manifest: readJson(join(root, "package.json")) };
}

/** What a published tarball must hold, whatever the package: returns notes for the log. */
function inspectTarball(source, unpacked, versions, rootEngines) {
  const { manifest, files } = unpacked;
  const name = source.name;
  const problems = [];
  const problem = (text) => problems.push(text);
  if (manifest.name !== name || manifest.version !== source.version)
    problem(`is ${manifest.name}@${manifest.version}, expected ${name}@${source.version}`);
  if (manifest.private === true) problem("is private");
  for (const field of DEP_FIELDS) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog|link|file):/.test(String(range))) problem(`${field}.${dep} is still "${range}"`);
      if (field !== "devDependencies" && versions.has(dep) && range !== versions.get(dep))
        problem(`${field}.${dep} is "${range}", expected the workspace version ${versions.get(dep)}`);
    }
  }
  if (manifest.engines?.node !== rootEngines)
    problem(`engines.node is ${JSON.stringify(manifest.engines?.node)}, expected "${rootEngines}" (as the root)`);
  for (const field of ["license", "repository", "description"]) if (!manifest[field]) problem(`has no "${field}"`);
  for (const file of ["README.md", "LICENSE"]) if (!files.includes(file)) problem(`has no ${file}`);
  const junk = files.filter((f) =>
    /(^|\/)(node_modules|\.turbo|test|tests)\/|\.test\.[cm]?[jt]sx?$|tsconfig.*\.json$|\.tsbuildinfo$/.test(f),
  );
  if (junk.length > 0) problem(`holds files a user does not need: ${junk.slice(0, 5).join(", ")}`);
  const need = (target, what) => {
    const path = target.replace(/^\.\//, "");
    if (path.includes("*")) {
      if (!files.some((f) => patternToRegExp(target).test(f))) problem(`${what} ${target} matches no file`);
    } else if (!files.includes(path)) problem(`${what} ${target} is not in the tarball`);
  };
  if (manifest.exports) {
    for (const [subpath, value] of exportEntries(manifest.exports)) {
      for (const target of targetsOf(value)) need(target, `exports["${subpath}"]`);
      if (!typesFirstEverywhere(value)) problem(`exports["${subpath}"]: "types" is not the first condition`);
      if (targetsOf(value).some(isCode)) {
        const first = value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value)[0] : null;
        if (first !== "types") problem(`exports["${subpath}"] has code but no leading "types" condition`);
      }
    }
  }
  for (const field of ["main", "types", "module"]) if (manifest[field]) need(manifest[field], field);
  const bins = typeof manifest.bin === "string" ? { [name]: manifest.bin } : (manifest.bin ?? {});
  for (const [bin, target] of Object.entries(bins)) {
    need(target, `bin.${bin}`);
    const path = join(unpacked.root, target);
    if (existsSync(path) && !readFileSync(path, "utf8").startsWith("#!/usr/bin/env node"))
      problem(`bin.${bin} (${target}) does not start with "#!/usr/bin/env node"`);
  }
  assert(problems.length === 0, () => `${name}: ${problems.join("; ")}`);
  return `${name}@${manifest.version}: ${files.length} files, exports ${
    manifest.exports
      ? exportEntries(manifest.exports)
          .map(([s]) => s)
          .join(" ")
      : "(none)"
  }, bins ${Object.keys(bins).join(" ") || "(none)"}; workspace ranges resolved (${
    Object.entries(manifest.dependencies ?? {})
      .filter(([d]) => versions.has(d))
      .map(([d, v]) => `${d}@${v}`)
      .join(", ") || "no workspace dependencies"
  })`;
}

/**
 * Every module a script really loads: static `import`/`export ... from`, `import()`, and calls of `require`
 * (or of anything named `...require`, e.g. esbuild's `__require`; `require.resolve` too). The file is parsed with
 * TypeScript's JavaScript parser, so text that only looks like a require is not one: ajv keeps
 * `require("ajv/dist/runtime/equal")` and the like inside string and template literals, as code it would write out
 * for standalone validators (its `standaloneCode`, which nothing here calls), and comments are not code either.
 * A `require(x)` whose argument is not a literal cannot be judged statically: it is counted as `dynamic`.
 * A file the parser cannot read fails: a misread file could hide a require.
 */
function modulesLoadedBy(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const errors = source.parseDiagnostics ?? [];
  assert(
    errors.length === 0,
    () =>
      `${file}: the JavaScript parser reports ${errors.length} syntax errors (first: ${ts.flattenDiagnosticMessageText(errors[0].messageText, " ")}), so its imports cannot be listed`,
  );
  const literal = (node) => node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));
  const calleeName = (callee) => {
    if (ts.isIdentifier(callee)) return callee.text;
    if (ts.isPropertyAccessExpression(callee)) {
      // require.resolve("x"): the name of what `.resolve` is called on.
      if (callee.name.text === "resolve" && /require$/.test(calleeName(callee.expression) ?? "")) return "require";
      return callee.name.text;
    }
    return null;
  };
  const specs = [];
  let dynamic = 0;
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && literal(node.moduleSpecifier))
      specs.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (isImport || /require$/.test(calleeName(node.expression) ?? "")) {
        if (literal(node.arguments[0])) specs.push(node.arguments[0].text);
        else dynamic += 1;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { specs, dynamic };
}

/**
 * An application bundle resolves nothing at run time: every import and require in every file is relative (and
 * present) or a Node built-in. Catches a chunk that is never loaded by the smoke runs below.
 */
function assertSelfContained(unpacked) {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const bad = [];
  let checked = 0;
  let dynamic = 0;
  for (const file of unpacked.files.filter((f) => /\.(c|m)?js$/.test(f))) {
    const found = modulesLoadedBy(file, readFileSync(join(unpacked.root, file), "utf8"));
    dynamic += found.dynamic;
    for (const spec of found.specs) {
      checked += 1;
      if (builtins.has(spec)) continue;
      if (spec.startsWith("./") || spec.startsWith("../")) {
        const target = relative(unpacked.root, resolve(dirname(join(unpacked.root, file)), spec))
          .split(sep)
          .join("/");
        if (!unpacked.files.includes(target)) bad.push(`${file} imports ${spec}, which is not in the package`);
        continue;
      }
      bad.push(`${file} imports "${spec}" (not bundled, not a Node built-in)`);
    }
  }
  assert(checked > 0, "found no import at all in the bundle: this check is not reading it");
  assert(bad.length === 0, () => `the bundle needs modules it does not contain:\n${[...new Set(bad)].join("\n")}`);
  return { checked, dynamic };
}

async function runPublint(tgz) {
  const buffer = readFileSync(tgz);
  const tarball = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const result = await publint({ pack: { tarball }, level: "suggestion", strict: true });
  assert(result?.pkg?.name, `publint did not read ${basename(tgz)}`);
  const messages = result.messages.map((m) => `${m.type}: ${formatMessage(m, result.pkg, { color: false })}`);
  assert(messages.length === 0, () => `publint, ${basename(tgz)}:\n${messages.join("\n")}`);
  return result.pkg.name;
}

async function runAttw(tgz, manifest, subpaths) {
  const attw = join(ROOT, "node_modules", ".bin", "attw");
  const r = await exec(attw, [tgz, "--profile", "esm-only", "--format", "json"]);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new CheckError(
      `attw printed no JSON (exit ${r.code}):\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`,
    );
  }
  const analysis = report.analysis;
  assert(analysis?.packageName === manifest.name, `attw analysed ${analysis?.packageName}, not ${manifest.name}`);
  assert(
    analysis.types?.kind === "included",
    `attw: ${manifest.name} does not include its types (${JSON.stringify(analysis.types)})`,
  );
  const analysed = Object.keys(analysis.entrypoints ?? {});
  const missing = subpaths.filter((s) => !analysed.includes(s));
  assert(missing.length === 0, `attw did not analyse exports ${missing.join(", ")} (it saw ${analysed.join(", ")})`);
  const all = Object.values(report.problems ?? {}).flat();
  const real = all.filter((p) => !ATTW_IGNORED_RESOLUTIONS.has(p.resolutionKind));
  assert(real.length === 0, () => `attw, ${manifest.name}:\n${real.map((p) => JSON.stringify(p)).join("\n")}`);
  assert(r.code === 0, `attw exited ${r.code} for ${manifest.name}:\n${r.stderr.slice(0, 2000)}`);
  const ignored = [...new Set(all.map((p) => `${p.kind} (${p.resolutionKind})`))];
  return `${manifest.name}: ${analysed.length} entrypoints (${analysed.join(", ")}), 0 problems${
    ignored.length > 0 ? `; by the esm-only profile, not counted: ${ignored.join(", ")}` : ""
  }`;
}

// --- zip (the .vsix) -----------------------------------------------------------------------------------------------
function readZip(path) {
  const buf = readFileSync(path);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert(eocd >= 0, `${basename(path)} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    assert(buf.readUInt32LE(at) === 0x02014b50, "zip: bad central directory");
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLength);
    entries.set(name, () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + compressed);
      return method === 0 ? data : inflateRawSync(data);
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
function pngSize(data) {
  assert(data.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])), "not a PNG file");
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

// --- a registry that must not be written to ------------------------------------------------------------------------
async function startRecordingRegistry() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.statusCode = req.method === "GET" || req.method === "HEAD" ? 404 : 403;
    res.setHeader("content-type", "application/json");
    res.end('{"error":"this registry only records requests (scripts/check-packages.mjs)"}');
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((r) => server.close(r)) };
}

// --- smoke runs of the installed applications (one per public bin-only package) -----------------------------------
/** intercom-kit: --version, --help, completion, `sandbox --json` + an update against it, the embedded sandbox, Ink. */
async function smokeIntercomKit({ cli, bin, run, env, work, version: expectedVersion, note }) {
  const version = await run(["--version"]);
  assert(
    version.code === 0 && version.stdout.trim() === expectedVersion,
    `--version: exit ${version.code}, "${version.stdout.trim()}" (expected ${expectedVersion})`,
  );
  const help = await run(["--help"]);
  assert(
    help.code === 0 && /\bupdate\b/.test(help.stdout) && /\bcompletion\b/.test(help.stdout),
    `--help: exit ${help.code}\n${help.stdout}${help.stderr}`,
  );
  const completion = await run(["completion", "bash"]);
  assert(
    completion.code === 0 && completion.stdout.includes(`complete -F _${bin.replace(/[^A-Za-z0-9]/g, "_")} ${bin}`),
    `completion bash: exit ${completion.code}`,
  );
  note(`${bin} --version: ${version.stdout.trim()}; --help and completion bash answer`);

  // The sandbox command (the lazily loaded sandbox chunk), and an update against it with its token.
  const sandbox = spawn(cli, ["sandbox", "--json"], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(sandbox);
  try {
    const line = await new Promise((ok, fail) => {
      let out = "";
      let err = "";
      const timer = setTimeout(
        () => fail(new CheckError(`sandbox --json printed no line in 20 s\n${out}${err}`)),
        20_000,
      );
      sandbox.stderr.on("data", (d) => {
        err += d;
      });
      sandbox.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) {
          clearTimeout(timer);
          ok(out.slice(0, out.indexOf("\n")));
        }
      });
      sandbox.on("exit", (code) => fail(new CheckError(`sandbox --json exited ${code} early\n${out}${err}`)));
    });
    const { url, token } = JSON.parse(line);
    secrets.add(token);
    assert(
      /^http:\/\/127\.0\.0\.1:\d+$/.test(url) && typeof token === "string" && token.length > 0,
      "sandbox --json: no url/token line",
    );
    const name = `Packed CLI ${RUN_ID}`;
    const update = await run(
      ["update", "--base-url", url, "--user-id", "25", "--name", name, "--unsubscribed", "false", "--yes", "--json"],
      { INTERCOM_ACCESS_TOKEN: token },
    );
    assert(update.code === 0, `update against the sandbox: exit ${update.code}\n${update.stdout}\n${update.stderr}`);
    // The result document: { outcome, user, applied, changes, notes }.
    const { outcome, user } = JSON.parse(update.stdout);
    assert(
      outcome === "applied" && user?.name === name && user?.user_id === "25",
      `update printed ${update.stdout.slice(0, 500)}`,
    );
    assert(!update.stdout.includes(token) && !update.stderr.includes(token), "the token appeared in the CLI's output");
    // Read it back from the sandbox, not from the CLI: the write really reached that server.
    const res = await fetch(`${url}/contacts/find_by_external_id/25`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json", "Intercom-Version": "2.15" },
    });
    const stored = await res.json();
    assert(
      res.status === 200 && stored.name === name && stored.unsubscribed_from_emails === false,
      `the sandbox holds ${JSON.stringify({ status: res.status, name: stored.name })}`,
    );
    note(
      `sandbox --json started; update --base-url <its url> --user-id 25 --name "${name}" --yes --json: exit 0, and the sandbox holds the new name`,
    );
  } finally {
    const exited = new Promise((r) =>
      sandbox.exitCode !== null ? r(sandbox.exitCode) : sandbox.once("exit", (code) => r(code)),
    );
    sandbox.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 5000).unref())]);
    children.delete(sandbox);
    if (code === "timeout") sandbox.kill("SIGKILL");
    assert(code === 0, `intercom-kit sandbox did not stop cleanly on SIGTERM (${code})`);
  }

  // No token at all: the embedded sandbox, from inside the bundle.
  const embedded = await run(["update", "--user-id", "25", "--name", "Embedded Sandbox", "--yes", "--json"]);
  assert(
    embedded.code === 0 && JSON.parse(embedded.stdout).user?.name === "Embedded Sandbox",
    `update with no token: exit ${embedded.code}\n${embedded.stdout}\n${embedded.stderr}`,
  );
  assert(/sandbox/i.test(embedded.stderr), "update with no token did not say it used the embedded sandbox");
  // The Ink UI chunk (ink, react, yoga): render the first frame and exit.
  const frame = await run(["update", "--render-once"]);
  assert(
    frame.code === 0 && frame.stdout.includes(bin),
    `update --render-once: exit ${frame.code}\n${frame.stdout}\n${frame.stderr}`,
  );
  note("no token: the embedded sandbox updated user 25; --render-once drew the Ink UI's first frame");
}

/** The agent server's tools, exactly: a tool added, renamed or dropped is a change to what agents see. */
const MCP_TOOLS = ["find_user", "plan_user_update", "apply_user_update"];

/**
 * intercom-kit-mcp, the agent server, over stdio (newline-delimited JSON-RPC) with no token: initialize, tools/list
 * names exactly MCP_TOOLS, and find_user {"userId":"25"} answers from the embedded sandbox inside the bundle (the
 * lazily loaded sandbox chunk), saying so in its result.
 */
async function smokeMcpServer({ cli, env, work, note }) {
  const server = spawn(cli, [], { cwd: work, env, stdio: ["pipe", "pipe", "pipe"] });
  children.add(server);
  try {
    const replies = new Map();
    let buffer = "";
    let stderr = "";
    server.stderr.on("data", (d) => {
      stderr += d;
    });
    server.stdout.on("data", (d) => {
      buffer += d;
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        const message = JSON.parse(line);
        if (message.id !== undefined) replies.set(message.id, message);
      }
    });
    const send = (message) => server.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
    const reply = async (id) => {
      for (let waited = 0; waited < 20_000; waited += 50) {
        if (replies.has(id)) return replies.get(id);
        if (server.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new CheckError(`no answer to request ${id} (exit ${server.exitCode})\n${stderr.slice(-2000)}`);
    };
    send({
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "check-packages", version: "1" } },
    });
    const init = await reply(1);
    assert(init.result?.serverInfo?.name, `initialize: ${JSON.stringify(init).slice(0, 500)}`);
    send({ method: "notifications/initialized" });
    send({ id: 2, method: "tools/list", params: {} });
    const tools = ((await reply(2)).result?.tools ?? []).map((t) => t.name);
    assert(
      JSON.stringify([...tools].sort()) === JSON.stringify([...MCP_TOOLS].sort()),
      `tools/list: ${JSON.stringify(tools)}, expected exactly ${JSON.stringify(MCP_TOOLS)}`,
    );
    note(`MCP over stdio: initialize (${init.result.serverInfo.name}), tools/list: exactly ${tools.join(", ")}`);

    // No token in this environment: the embedded sandbox, which must say so in the structured result and the text.
    send({ id: 3, method: "tools/call", params: { name: "find_user", arguments: { userId: "25" } } });
    const found = (await reply(3)).result;
    const data = found?.structuredContent;
    assert(
      found && found.isError !== true && data?.ok === true,
      () => `find_user {"userId":"25"}: ${JSON.stringify(found ?? {}).slice(0, 1500)}\n${stderr.slice(-1500)}`,
    );
    assert(
      data.backend?.kind === "sandbox",
      `find_user with no token reached ${JSON.stringify(data.backend)}, not the embedded sandbox`,
    );
    assert(
      data.user?.user_id === "25" && data.user?.name === "Joe Example",
      `find_user {"userId":"25"} returned ${JSON.stringify({ user_id: data.user?.user_id, name: data.user?.name })}, expected user 25, Joe Example`,
    );
    const text = (found.content ?? []).map((c) => c.text ?? "").join("\n");
    assert(/sandbox/i.test(text) && text.includes("Joe Example"), `find_user's text: ${text.slice(0, 500)}`);
    note(
      `no token: find_user {"userId":"25"} -> Joe Example, backend.kind "sandbox" (${data.backend.label}), and the text says so`,
    );
  } finally {
    server.stdin.end();
    server.kill("SIGTERM");
    children.delete(server);
  }
}

const SMOKE = { "intercom-kit": smokeIntercomKit, "intercom-kit-mcp": smokeMcpServer };

// --- the checks ----------------------------------------------------------------------------------------------------
/**
 * Node resolves bare imports through every node_modules folder above a file, so the installs go where no
 * node_modules exists above them (a stray /tmp/node_modules would otherwise hide a missing dependency).
 */
function isolatedBase() {
  const candidates = [process.env.CHECK_PACKAGES_TMPDIR, tmpdir(), "/var/tmp", join(homedir(), ".cache")];
  for (const base of candidates.filter(Boolean)) {
    if (!existsSync(base)) continue;
    const real = realpathSync(base);
    let clean = !real.startsWith(ROOT + sep) && real !== ROOT;
    for (let dir = real; clean; dir = dirname(dir)) {
      if (existsSync(join(dir, "node_modules"))) clean = false;
      if (dir === dirname(dir)) break;
    }
    if (clean) return real;
    console.log(
      `check-packages: not using ${real} (a node_modules folder is at or above it, or it is in the workspace)`,
    );
  }
  throw new Error(`no temporary directory without a node_modules folder above it; set CHECK_PACKAGES_TMPDIR`);
}
const TMP = realpathSync(mkdtempSync(join(isolatedBase(), "intercom-kit-packages-")));
const cleanup = () => {
  for (const child of children) child.kill("SIGKILL");
  if (!KEEP) rmSync(TMP, { recursive: true, force: true });
};
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

try {
  const { packages, catalog } = workspace();
  const versions = new Map(packages.map((p) => [p.pkg.name, p.pkg.version]));
  const rootPkg = readJson(join(ROOT, "package.json"));
  const publicPackages = packages.filter((p) => p.pkg.private !== true);
  const libraries = publicPackages.filter((p) => p.pkg.exports);
  const apps = publicPackages.filter((p) => !p.pkg.exports && p.pkg.bin);
  const extensions = packages.filter((p) => p.pkg.engines?.vscode);

  console.log(`check-packages: ${ROOT} -> ${TMP}`);
  await step("the workspace: which packages are public", async (note) => {
    for (const name of MUST_BE_PUBLIC)
      assert(
        publicPackages.some((p) => p.pkg.name === name),
        `${name} is missing or private`,
      );
    for (const ext of extensions)
      assert(
        ext.pkg.private === true,
        `${ext.pkg.name} (a VS Code extension) must stay private: it is not an npm package`,
      );
    for (const p of publicPackages)
      assert(p.pkg.exports || p.pkg.bin, `${p.pkg.name} is public but has neither exports nor bin`);
    assert(TMP !== ROOT && !TMP.startsWith(ROOT + sep), `the temporary directory ${TMP} is inside the workspace`);
    // Node resolves bare imports through every node_modules above a file: none may exist above the installs.
    for (let dir = TMP; dir !== dirname(dir); dir = dirname(dir))
      assert(
        !existsSync(join(dirname(dir), "node_modules")),
        `${join(dirname(dir), "node_modules")} exists above the temporary directory: the installs would not be isolated`,
      );
    note(`public: ${publicPackages.map((p) => `${p.pkg.name}@${p.pkg.version} (${p.rel})`).join(", ")}`);
    note(
      `libraries: ${libraries.map((p) => p.pkg.name).join(", ")}; applications: ${apps.map((p) => p.pkg.name).join(", ")}; extensions: ${extensions.map((p) => p.pkg.name).join(", ")}`,
    );
  });

  const built = await step("build everything (turbo; cached when nothing changed)", async () => {
    await pnpm(["turbo", "run", "build", "--output-logs=errors-only"], {
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
    });
    return true;
  });

  const tarballDir = join(TMP, "tarballs");
  mkdirSync(tarballDir);
  const packed = new Map();
  if (built) {
    await step("pnpm pack every public package", async (note) => {
      for (const p of publicPackages) {
        const before = new Set(readdirSync(tarballDir));
        await pnpm(["pack", "--pack-destination", tarballDir], { cwd: p.dir });
        const made = readdirSync(tarballDir).filter((f) => !before.has(f) && f.endsWith(".tgz"));
        assert(made.length === 1, `pnpm pack in ${p.rel} made ${made.length} tarballs: ${made.join(", ")}`);
        const tgz = join(tarballDir, made[0]);
        const unpacked = await unpack(tgz, join(TMP, "unpacked", made[0].replace(/\.tgz$/, "")));
        packed.set(p.pkg.name, { source: p, tgz, unpacked });
        note(`${made[0]} (${(statSync(tgz).size / 1024).toFixed(1)} KB)`);
      }
    });
  } else notRun("pnpm pack every public package", "the build failed");

  const allPacked = packed.size === publicPackages.length;
  const needPack = (title, fn) => (allPacked ? step(title, fn) : notRun(title, "packing failed"));

  await needPack(
    "tarball contents (workspace ranges resolved, every target present, types first, engines)",
    async (note) => {
      for (const { source, unpacked } of packed.values())
        note(inspectTarball(source.pkg, unpacked, versions, rootPkg.engines?.node));
    },
  );

  await needPack("publint (strict: any suggestion, warning or error fails)", async (note) => {
    for (const { tgz } of packed.values()) note(`${await runPublint(tgz)}: 0 messages`);
  });

  await needPack(
    "attw --profile esm-only (ESM-only by design: node10 and require-from-CJS are not offered)",
    async (note) => {
      for (const { tgz, unpacked } of packed.values()) {
        const { manifest, files } = unpacked;
        if (!manifest.exports && !manifest.types) {
          assert(!files.some((f) => f.endsWith(".d.ts")), `${manifest.name} ships .d.ts files but declares no types`);
          note(`${manifest.name}: an application (bin only, no exports, no types): nothing for attw to resolve`);
          continue;
        }
        const subpaths = specifiersOf(manifest, files).map((s) => s.subpath);
        note(await runAttw(tgz, manifest, subpaths));
      }
    },
  );

  // A check that cannot fail proves nothing: each one above must reject a package broken on purpose.
  await needPack(
    "the checks above reject a deliberately broken package (publint, attw, contents, bundle scan)",
    async (note) => {
      const lib = libraries[0];
      const { unpacked } = packed.get(lib.pkg.name);
      const broken = join(TMP, "broken");
      mkdirSync(broken);
      await must("cp", ["-R", unpacked.root, join(broken, "package")]);
      const manifest = { ...unpacked.manifest };
      // "types" after "import", pointing at a file that is not there; a workspace range left behind.
      manifest.exports = { ".": { import: "./dist/index.js", types: "./dist/not-there.d.ts" } };
      manifest.types = "./dist/not-there.d.ts";
      manifest.dependencies = { ...manifest.dependencies, [lib.pkg.name]: "workspace:*" };
      writeFileSync(join(broken, "package", "package.json"), JSON.stringify(manifest, null, 2));
      // And declarations that import a module the package does not have (attw: an internal resolution error).
      const dts = join(broken, "package", "dist", "index.d.ts");
      writeFileSync(dts, `${readFileSync(dts, "utf8")}\nexport * from "./not-there-either.js";\n`);
      const tgz = join(broken, "broken.tgz");
      await must("tar", ["-czf", tgz, "-C", broken, "package"]);
      const rejects = async (what, fn) => {
        try {
          await fn();
        } catch (error) {
          if (error instanceof CheckError)
            return `${what}: rejected (${error.message.split("\n")[1] ?? error.message.split("\n")[0]})`.slice(0, 160);
          throw error;
        }
        throw new CheckError(`${what} accepted a broken package`);
      };
      note(await rejects("publint", () => runPublint(tgz)));
      note(await rejects("attw", () => runAttw(tgz, manifest, ["."])));
      const brokenUnpacked = { root: join(broken, "package"), files: walk(join(broken, "package")), manifest };
      note(
        await rejects("tarball contents", () =>
          inspectTarball(lib.pkg, brokenUnpacked, versions, rootPkg.engines?.node),
        ),
      );
      // The bundle scan: each way a bundle can still load a module it does not hold, alone in a bundle that passes
      // without it, must be rejected; the same text inside strings, templates and comments must not be.
      const bundle = join(broken, "bundle");
      mkdirSync(join(bundle, "dist", "chunks"), { recursive: true });
      writeFileSync(join(bundle, "dist", "cli.js"), 'import{a}from"./chunks/a.js";import"node:fs";a();');
      writeFileSync(join(bundle, "dist", "chunks", "a.js"), 'import{readFileSync}from"fs";export const a=()=>0;');
      const stray = join(bundle, "dist", "stray.js");
      const scanWith = (code) => {
        if (code === null) rmSync(stray, { force: true });
        else writeFileSync(stray, code);
        return assertSelfContained({ root: bundle, files: walk(bundle) });
      };
      assert(scanWith(null).checked === 3, "bundle scan: the good bundle's three imports were not all found");
      const unbundled = {
        "import from": 'import leftPad from "left-pad";\nexport default leftPad;\n',
        "export from": 'export{default as pad}from"left-pad";',
        "import()": 'export const pad=()=>import("left-pad");',
        "require()":
          'import{createRequire as c}from"node:module";const require=c(import.meta.url);var p=require("left-pad");',
        "__require()": "var __require=(x=>x)(globalThis.require);var p=__require(`left-pad`);",
        "require.resolve()": 'var p=require.resolve("left-pad");',
        "a missing chunk": 'import"./chunks/not-there.js";',
      };
      // Rejected for the right reason: the stray module named, not a parse error or the like.
      const rejectsNaming = async (what, names, fn) => {
        let message;
        try {
          await fn();
        } catch (error) {
          if (!(error instanceof CheckError)) throw error;
          message = error.message;
        }
        assert(message !== undefined, `${what} accepted a broken package`);
        assert(
          message.includes(`"${names}"`) || message.includes(`/${names}`),
          `${what} was rejected, but not for naming ${names}: ${message}`,
        );
      };
      const rejected = [];
      for (const [how, code] of Object.entries(unbundled)) {
        await rejectsNaming(`bundle scan (${how})`, how === "a missing chunk" ? "not-there" : "left-pad", () =>
          scanWith(code),
        );
        rejected.push(how);
      }
      note(`bundle scan: rejected a stray ${rejected.join(", ")}`);
      const inert = [
        '// require("left-pad") in a comment; /* import x from "left-pad" */',
        "var a={code:'require(\"left-pad\").default'};",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: source text of a template literal, on purpose
        'var b=_`require("left-pad").${"x"}`,c=`import("left-pad")`,d="from \\"left-pad\\"";',
        'var e=/require\\("left-pad"\\)/.test(String(a))?1/2:3;',
      ].join("\n");
      const accepted = scanWith(inert);
      assert(accepted.checked === 3, `bundle scan: found ${accepted.checked - 3} imports in text that is not code`);
      note("bundle scan: accepted require/import text inside comments, strings, templates and a regular expression");
      // The real agent server's bundle: its ajv strings pass, and the same specifier as a real call does not.
      const mcp = packed.get("intercom-kit-mcp");
      assert(mcp, "intercom-kit-mcp was not packed");
      {
        const copy = join(broken, "mcp");
        await must("cp", ["-R", mcp.unpacked.root, copy]);
        const entry = join(copy, mcp.unpacked.manifest.bin["intercom-kit-mcp"]);
        const text = readFileSync(entry, "utf8");
        const quoted = text.match(/require\("(ajv[^"]*)"\)/);
        assert(quoted, "the agent server's bundle no longer holds ajv's quoted require: update this check");
        assertSelfContained({ ...mcp.unpacked, root: copy });
        writeFileSync(entry, `${text}\nrequire("${quoted[1]}");\n`);
        await rejectsNaming(`bundle scan (intercom-kit-mcp + a real require("${quoted[1]}"))`, quoted[1], () =>
          assertSelfContained({ ...mcp.unpacked, root: copy }),
        );
        note(
          `bundle scan: intercom-kit-mcp's bundle, which quotes require("${quoted[1]}") in a string, passes; with that require called for real, rejected`,
        );
      }
    },
  );

  // -- the CLI, installed the way its README says, with nothing around it --------------------------------------
  for (const app of apps) {
    const title = `${app.pkg.name}: npm install -g from the tarball into an empty prefix (offline), then run it`;
    await needPack(title, async (note) => {
      const { tgz, unpacked, source } = packed.get(app.pkg.name);
      const dependencies = Object.keys(unpacked.manifest.dependencies ?? {});
      assert(
        dependencies.length === 0,
        `${app.pkg.name} has runtime dependencies (${dependencies.join(", ")}): the bundle must hold everything`,
      );
      for (const field of ["peerDependencies", "optionalDependencies", "bundleDependencies", "bundledDependencies"])
        assert(
          !unpacked.manifest[field] || Object.keys(unpacked.manifest[field]).length === 0,
          `${app.pkg.name} has ${field}`,
        );
      const scan = assertSelfContained(unpacked);
      note(
        `static scan (parsed, string literals are not code): ${scan.checked} imports and requires, all relative (present) or Node built-ins${scan.dynamic > 0 ? `; ${scan.dynamic} require()/import() of a computed name, not judged` : ""}`,
      );

      const work = join(TMP, `cli-${basename(source.dir)}`);
      const home = join(work, "home");
      const prefix = join(work, "prefix");
      mkdirSync(home, { recursive: true });
      mkdirSync(prefix);
      copyFileSync(tgz, join(work, basename(tgz)));
      const env = userEnv(home);
      // --offline with an empty cache: anything the package would fetch makes this fail.
      await must("npm", ["install", "-g", `./${basename(tgz)}`, "--prefix", prefix, "--offline"], { cwd: work, env });
      const bin = Object.keys(unpacked.manifest.bin)[0];
      const cli = join(prefix, "bin", bin);
      assert(existsSync(cli), `npm did not link ${cli}`);
      const installed = join(prefix, "lib", "node_modules", app.pkg.name);
      assert(
        !existsSync(join(installed, "node_modules")),
        `npm installed modules under ${installed}: it has dependencies`,
      );
      const run = (args, extra = {}, timeoutMs = 60_000) =>
        exec(cli, args, { cwd: work, env: { ...env, ...extra }, timeoutMs });

      const smoke = SMOKE[app.pkg.name];
      assert(
        smoke,
        `${app.pkg.name} is a public application without a smoke run: add one to SMOKE in scripts/check-packages.mjs`,
      );
      await smoke({ cli, bin, run, env, work, version: source.pkg.version, note });
    });
  }

  // -- the libraries, from their tarballs, in an empty project ----------------------------------------------------
  await needPack(
    "libraries: npm install from the tarballs into an empty project; plain Node, TypeScript (node16, bundler), every exports entry",
    async (note) => {
      const work = join(TMP, "consumer");
      const home = join(TMP, "consumer-home");
      mkdirSync(work);
      mkdirSync(home);
      const env = userEnv(home);
      const deps = {};
      for (const lib of libraries) deps[lib.pkg.name] = `file:${relative(work, packed.get(lib.pkg.name).tgz)}`;
      assert(catalog.typescript && catalog["@types/node"], "the catalog has no typescript or @types/node version");
      writeFileSync(
        join(work, "package.json"),
        `${JSON.stringify({ name: "intercom-kit-consumer", private: true, type: "module", dependencies: deps, devDependencies: { typescript: catalog.typescript, "@types/node": catalog["@types/node"] } }, null, 2)}\n`,
      );
      await must("npm", ["install", "--no-audit", "--no-fund"], { cwd: work, env, timeoutMs: 240_000 });

      // Every @intercom-kit package came from our tarballs, once, at the packed version.
      const lock = readJson(join(work, "package-lock.json"));
      for (const lib of libraries) {
        const entry = lock.packages[`node_modules/${lib.pkg.name}`];
        assert(
          entry?.resolved?.startsWith("file:"),
          `${lib.pkg.name} was not installed from its tarball (${entry?.resolved})`,
        );
        const installed = readJson(join(work, "node_modules", lib.pkg.name, "package.json"));
        assert(installed.version === lib.pkg.version, `${lib.pkg.name} installed at ${installed.version}`);
      }
      const nested = Object.keys(lock.packages).filter((k) =>
        /node_modules\/.+\/node_modules\/@intercom-kit\//.test(k),
      );
      assert(nested.length === 0, `nested copies: ${nested.join(", ")}`);
      const internal = Object.keys(lock.packages)
        .filter((k) => k.startsWith("node_modules/@intercom-kit/"))
        .map((k) => k.slice(13));
      const strays = internal.filter((n) => !libraries.some((l) => l.pkg.name === n));
      assert(strays.length === 0, `installed packages that are not ours to publish: ${strays.join(", ")}`);
      note(
        `installed ${libraries.map((l) => `${l.pkg.name}@${l.pkg.version}`).join(", ")} from file: tarballs; ${Object.keys(lock.packages).length - 1} packages in all`,
      );

      // Plain Node: the example exactly as committed.
      const example = join(ROOT, "examples", "library-usage");
      copyFileSync(join(example, "update-a-user.mjs"), join(work, "update-a-user.mjs"));
      const plain = await exec(process.execPath, ["update-a-user.mjs"], { cwd: work, env });
      assert(
        plain.code === 0 && /"name": "Joe Example-Smith"/.test(plain.stdout),
        `node update-a-user.mjs: exit ${plain.code}\n${plain.stdout.slice(-1500)}\n${plain.stderr}`,
      );
      note("node update-a-user.mjs (examples/library-usage): exit 0, the user came back updated");

      // Every exports entry of every library: imported at run time, and resolved with types by tsc.
      const specs = libraries.flatMap((lib) =>
        specifiersOf(packed.get(lib.pkg.name).unpacked.manifest, packed.get(lib.pkg.name).unpacked.files),
      );
      const code = specs.filter((s) => !s.json);
      assert(
        code.length >= libraries.length,
        `found ${code.length} code entry points for ${libraries.length} libraries`,
      );
      const runtime = [
        "const specs = JSON.parse(process.argv[2]);",
        "for (const { specifier, json } of specs) {",
        '  const m = json ? await import(specifier, { with: { type: "json" } }) : await import(specifier);',
        "  const names = Object.keys(json ? m.default : m);",
        '  if (names.length === 0) throw new Error(specifier + " exports nothing");',
        '  console.log(specifier + ": " + names.length + " exports");',
        "}",
      ].join("\n");
      writeFileSync(join(work, "exports-runtime.mjs"), runtime);
      const imported = await exec(process.execPath, ["exports-runtime.mjs", JSON.stringify(specs)], { cwd: work, env });
      assert(imported.code === 0, `importing every exports entry failed:\n${imported.stdout}\n${imported.stderr}`);
      assert(
        imported.stdout.trim().split("\n").length === specs.length,
        `imported ${imported.stdout.trim().split("\n").length} of ${specs.length} entries`,
      );
      note(`import() of every exports entry: ${imported.stdout.trim().split("\n").join("; ")}`);

      const lines = [
        "// Generated by scripts/check-packages.mjs from the packages' exports maps.",
        "type NonEmpty<T> = [keyof T] extends [never] ? false : true;",
      ];
      code.forEach((s, i) => {
        lines.push(`import * as entry${i} from ${JSON.stringify(s.specifier)};`);
        lines.push(`export const nonEmpty${i}: NonEmpty<typeof entry${i}> = true; // ${s.specifier}`);
      });
      writeFileSync(join(work, "exports-check.ts"), `${lines.join("\n")}\n`);
      copyFileSync(join(example, "consumer.ts"), join(work, "consumer.ts"));
      const base = {
        strict: true,
        skipLibCheck: false,
        target: "ES2022",
        lib: ["ES2023"],
        types: ["node"],
        isolatedModules: true,
        forceConsistentCasingInFileNames: true,
      };
      const configs = {
        node16: { ...base, module: "node16", moduleResolution: "node16", outDir: "out-node16" },
        bundler: { ...base, module: "preserve", moduleResolution: "bundler", noEmit: true },
      };
      for (const [label, compilerOptions] of Object.entries(configs)) {
        writeFileSync(
          join(work, `tsconfig.${label}.json`),
          JSON.stringify({ compilerOptions, files: ["consumer.ts", "exports-check.ts"] }, null, 2),
        );
        const tsc = await exec(
          process.execPath,
          [join(work, "node_modules", "typescript", "bin", "tsc"), "-p", `tsconfig.${label}.json`, "--listFiles"],
          { cwd: work, env },
        );
        assert(
          tsc.code === 0,
          `tsc (${label}) failed:\n${tsc.stdout
            .split("\n")
            .filter((l) => !l.startsWith("/"))
            .join("\n")
            .slice(0, 4000)}`,
        );
        // Proof that the declarations came from the installed tarballs (and were type-checked: skipLibCheck off).
        const ours = tsc.stdout
          .split("\n")
          .filter((l) => /node_modules\/@intercom-kit\/[^/]+\/dist\/.*\.d\.ts$/.test(l));
        for (const lib of libraries)
          assert(
            ours.some((l) => l.includes(`node_modules/${lib.pkg.name}/dist/`)),
            `tsc (${label}) read no declaration file of ${lib.pkg.name}`,
          );
        note(
          `tsc moduleResolution ${label}: consumer.ts + ${code.length} exports entries, ${ours.length} of our .d.ts files checked, 0 errors`,
        );
      }
      const compiled = await exec(process.execPath, [join("out-node16", "consumer.js")], { cwd: work, env });
      assert(
        compiled.code === 0 && /typed consumer: updated Typed Consumer/.test(compiled.stdout),
        `the compiled consumer.ts: exit ${compiled.code}\n${compiled.stdout}\n${compiled.stderr}`,
      );
      note("the node16 build of consumer.ts ran: updated the user through the domain and read it back through core");

      // The libraries' own bins (the sandbox's) answer --help from node_modules/.bin.
      for (const lib of libraries) {
        const bins = typeof lib.pkg.bin === "string" ? [lib.pkg.name] : Object.keys(lib.pkg.bin ?? {});
        for (const bin of bins) {
          const r = await exec(join(work, "node_modules", ".bin", bin), ["--help"], { cwd: work, env });
          assert(r.code === 0 && r.stdout.length > 0, `${bin} --help: exit ${r.code}\n${r.stderr}`);
          note(`${bin} --help (from ${lib.pkg.name}): exit 0`);
        }
      }
    },
  );

  // -- the VS Code extension ------------------------------------------------------------------------------------
  for (const ext of extensions) {
    await step(
      `${ext.pkg.name}: vsce package --no-dependencies, warning-free, and what the .vsix holds`,
      async (note) => {
        const vsix = join(TMP, `${ext.pkg.name}.vsix`);
        const vsce = join(ext.dir, "node_modules", ".bin", "vsce");
        const r = await exec(vsce, ["package", "--no-dependencies", "--out", vsix], {
          cwd: ext.dir,
          timeoutMs: 120_000,
        });
        const output = `${r.stdout}\n${r.stderr}`;
        assert(r.code === 0, `vsce package exited ${r.code}:\n${output}`);
        const warnings = output.split("\n").filter((l) => /\bWARN(ING)?\b|\[y\/N\]/i.test(l));
        assert(warnings.length === 0, `vsce package warned:\n${warnings.join("\n")}`);
        const zip = readZip(vsix);
        const names = [...zip.keys()];
        const manifest = JSON.parse(zip.get("extension/package.json")().toString("utf8"));
        assert(
          manifest.name === ext.pkg.name && manifest.version === ext.pkg.version,
          `the .vsix holds ${manifest.name}@${manifest.version}`,
        );
        for (const file of [
          "extension/readme.md",
          "extension/changelog.md",
          "extension/LICENSE.txt",
          manifest.main.replace(/^\.\//, "extension/"),
        ])
          assert(names.includes(file), `the .vsix has no ${file} (it holds ${names.join(", ")})`);
        assert(manifest.icon, "package.json has no icon");
        const icon = zip.get(`extension/${manifest.icon.replace(/^\.\//, "")}`);
        assert(icon, `the icon ${manifest.icon} is not in the .vsix`);
        const size = pngSize(icon());
        assert(
          size.width === size.height && [128, 256].includes(size.width),
          `the icon is ${size.width}x${size.height}, not 128x128 or 256x256`,
        );
        // README images: relative in the repository, rewritten by vsce to https URLs under vsce.baseImagesUrl (a
        // relative image does not load from an installed .vsix; see apps/vscode/README.md "Packaging").
        const base = ext.pkg.vsce?.baseImagesUrl;
        assert(
          typeof base === "string" && base.startsWith("https://"),
          `${ext.rel}/package.json has no https "vsce.baseImagesUrl"`,
        );
        const repo = String(ext.pkg.repository?.url ?? ext.pkg.repository ?? "")
          .replace(/^git\+/, "")
          .replace(/\.git$/, "");
        assert(repo && base.startsWith(`${repo}/`), `vsce.baseImagesUrl ${base} is not under the repository ${repo}`);
        const source = readFileSync(join(ext.dir, "README.md"), "utf8");
        const imagesIn = (text) =>
          [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]+src=["']([^"']+)["']/g)].map((m) => m[1] ?? m[2]);
        const relativeImages = imagesIn(source);
        assert(relativeImages.length > 0, "the README shows no image (a screenshot is expected)");
        for (const image of relativeImages) {
          assert(!/^[a-z]+:/i.test(image), `README image ${image} should be a path in the repository`);
          assert(existsSync(join(ext.dir, image)), `README image ${image} does not exist in ${ext.rel}`);
          assert(
            execFileSyncOk("git", ["ls-files", "--error-unmatch", join(ext.rel, image)]),
            `README image ${image} is not committed (the published URL would be broken)`,
          );
          pngSize(readFileSync(join(ext.dir, image)));
        }
        const images = imagesIn(zip.get("extension/readme.md")().toString("utf8"));
        assert(
          images.length === relativeImages.length,
          `the packaged README has ${images.length} images, the source ${relativeImages.length}`,
        );
        for (const [i, image] of images.entries())
          assert(
            image === `${base}${relativeImages[i].replace(/^\.\//, "")}`,
            `packaged README image ${image} is not ${base}${relativeImages[i]}`,
          );
        const junk = names.filter((n) =>
          /(^|\/)(src|test|node_modules|\.e2e|\.turbo)\/|\.map$|\.tsx?$|\.vsix$/.test(n),
        );
        assert(junk.length === 0, `the .vsix holds ${junk.join(", ")}`);
        note(
          `${basename(vsix)}: ${(statSync(vsix).size / 1024).toFixed(1)} KB, ${names.length} entries, 0 warnings; icon ${manifest.icon} ${size.width}x${size.height} inside`,
        );
        note(`README images (committed, PNG) packaged as ${images.join(", ")}`);
        note("installing it into a real VS Code is the e2e test's job (pnpm --filter intercom-kit-vscode test:e2e)");
      },
    );
  }

  // -- versions and changelogs ----------------------------------------------------------------------------------
  await step(
    "changeset version in a scratch copy: every versioned package bumped, its CHANGELOG.md written",
    async (note) => {
      const config = readJson(join(ROOT, ".changeset", "config.json"));
      const ignore = new Set(config.ignore ?? []);
      const versioned = packages.filter(
        (p) => !ignore.has(p.pkg.name) && (p.pkg.private !== true || config.privatePackages?.version !== false),
      );
      for (const p of packages.filter((x) => x.pkg.private === true && !x.pkg.engines?.vscode))
        assert(
          ignore.has(p.pkg.name),
          `${p.pkg.name} is internal (private) but not in .changeset/config.json "ignore": changesets would version it`,
        );
      for (const p of [...publicPackages, ...extensions])
        assert(
          versioned.includes(p),
          `${p.pkg.name} is not versioned by changesets (ignored, or privatePackages.version is false)`,
        );
      assert(
        config.access === "public",
        `.changeset/config.json "access" is ${JSON.stringify(config.access)}: scoped packages would publish as restricted`,
      );

      // The pending changesets, read here too: a file changesets cannot parse would otherwise vanish silently.
      const pending = readdirSync(join(ROOT, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
      const expected = new Map(); // package -> summaries
      for (const file of pending) {
        const text = readFileSync(join(ROOT, ".changeset", file), "utf8");
        const m = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/);
        assert(m, `.changeset/${file} has no front matter`);
        const releases = [...m[1].matchAll(/^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)];
        assert(releases.length > 0, `.changeset/${file} names no package (front matter: ${JSON.stringify(m[1])})`);
        const first = m[2].trim().split("\n")[0];
        for (const [, name] of releases) {
          assert(versions.has(name), `.changeset/${file} names ${name}, which is not a workspace package`);
          expected.set(name, [...(expected.get(name) ?? []), first]);
        }
      }

      const scratch = join(TMP, "changeset-scratch");
      mkdirSync(scratch);
      const listed = await must("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
      let copied = 0;
      for (const file of listed.stdout.split("\0").filter(Boolean)) {
        const from = join(ROOT, file);
        if (!existsSync(from) || statSync(from).isDirectory()) continue;
        mkdirSync(dirname(join(scratch, file)), { recursive: true });
        copyFileSync(from, join(scratch, file));
        copied += 1;
      }
      const probe = `Release check ${RUN_ID}: changesets versions this package.`;
      writeFileSync(
        join(scratch, ".changeset", "zz-check-packages-probe.md"),
        `---\n${versioned.map((p) => `"${p.pkg.name}": patch`).join("\n")}\n---\n\n${probe}\n`,
      );
      const gitEnv = {
        ...process.env,
        GIT_AUTHOR_NAME: "check",
        GIT_AUTHOR_EMAIL: "check@localhost",
        GIT_COMMITTER_NAME: "check",
        GIT_COMMITTER_EMAIL: "check@localhost",
      };
      await must("git", ["init", "-q", "-b", "main"], { cwd: scratch, env: gitEnv });
      await must("git", ["add", "-A"], { cwd: scratch, env: gitEnv });
      await must("git", ["-c", "commit.gpgsign=false", "commit", "-qm", "scratch copy for changeset version"], {
        cwd: scratch,
        env: gitEnv,
      });
      symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"), "dir");
      const changeset = join(ROOT, "node_modules", "@changesets", "cli", "bin.js");
      const home = join(TMP, "changeset-home");
      mkdirSync(home);
      await must(process.execPath, [changeset, "version"], {
        cwd: scratch,
        env: userEnv(home, { PATH: process.env.PATH }),
      });

      const left = readdirSync(join(scratch, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
      assert(left.length === 0, `changeset version left ${left.join(", ")}`);
      const bumped = [];
      for (const p of versioned) {
        const dir = join(scratch, p.rel);
        const after = readJson(join(dir, "package.json")).version;
        const [a, b] = [p.pkg.version, after].map((v) => v.split(/[.-]/).slice(0, 3).map(Number));
        const newer = a[0] !== b[0] ? b[0] > a[0] : a[1] !== b[1] ? b[1] > a[1] : b[2] > a[2];
        assert(newer, `${p.pkg.name}: ${p.pkg.version} -> ${after} is not a bump`);
        const changelogPath = join(dir, "CHANGELOG.md");
        assert(existsSync(changelogPath), `${p.pkg.name}: no CHANGELOG.md after changeset version`);
        const changelog = readFileSync(changelogPath, "utf8");
        const section = changelog.split(/^## /m).find((s) => s.startsWith(`${after}\n`));
        assert(section, `${p.pkg.name}: CHANGELOG.md has no "## ${after}" section`);
        for (const summary of [probe, ...(expected.get(p.pkg.name) ?? [])])
          assert(section.includes(summary), `${p.pkg.name}: the ${after} section lacks "${summary.slice(0, 80)}"`);
        bumped.push(
          `${p.pkg.name} ${p.pkg.version} -> ${after} (${1 + (expected.get(p.pkg.name)?.length ?? 0)} entries)`,
        );
      }
      for (const p of packages.filter((x) => ignore.has(x.pkg.name))) {
        const after = readJson(join(scratch, p.rel, "package.json")).version;
        assert(after === p.pkg.version, `${p.pkg.name} is ignored but went ${p.pkg.version} -> ${after}`);
      }
      note(`scratch copy of ${copied} files (git main branch), ${pending.length} pending changesets + 1 probe`);
      for (const line of bumped) note(line);
      note(`unchanged (ignored): ${[...ignore].join(", ")}`);
    },
  );

  await needPack(
    "pnpm publish --dry-run --no-git-checks of every tarball, against a registry that records writes",
    async (note) => {
      const registry = await startRecordingRegistry();
      const home = join(TMP, "publish-home");
      mkdirSync(home);
      try {
        const env = userEnv(home, { PATH: process.env.PATH, npm_config_registry: registry.url });
        for (const { tgz, unpacked } of packed.values()) {
          const id = `${unpacked.manifest.name}@${unpacked.manifest.version}`;
          const r = await exec(
            PNPM,
            [...PNPM_ARGS, "publish", tgz, "--dry-run", "--no-git-checks", "--registry", registry.url],
            { cwd: TMP, env },
          );
          const output = `${r.stdout}\n${r.stderr}`;
          assert(r.code === 0, `pnpm publish --dry-run ${basename(tgz)} exited ${r.code}:\n${output}`);
          assert(
            output.includes(id) && /dry.run/i.test(output),
            `pnpm publish --dry-run did not report ${id}:\n${output}`,
          );
          note(`${id}: dry run ok`);
        }
      } finally {
        await registry.close();
      }
      const writes = registry.requests.filter((r) => !/^(GET|HEAD) /.test(r));
      assert(writes.length === 0, `the registry received writes: ${writes.join(", ")}`);
      note(`the local registry saw ${registry.requests.length} requests, 0 writes`);
    },
  );
} finally {
  cleanup();
}

const failed = summary.filter((s) => !s.ok);
const seconds = ((Date.now() - STARTED) / 1000).toFixed(1);
console.log(
  `\ncheck-packages: ${summary.length - failed.length} of ${summary.length} checks passed in ${seconds} s${KEEP ? ` (kept ${TMP})` : ""}`,
);
for (const s of failed) console.log(`  failed: ${s.title}`);
process.exit(failed.length > 0 || summary.length === 0 ? 1 : 0);
