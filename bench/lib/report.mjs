// Shared bench helpers: statistics, a markdown table, and writing bench/results/<name>.md + .json.
// Dependency-free on purpose; every bench imports this.
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

export const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

/** Value at quantile q (0..1) of the samples, by nearest rank. */
export function quantile(samples, q) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(samples) {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { n: samples.length, median: quantile(samples, 0.5), p90: quantile(samples, 0.9), mean };
}

/** Rounds for display: 3 significant decimals for small numbers, fewer for big ones. */
export function fmt(value, digits = 3) {
  if (typeof value !== "number") return String(value);
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(digits).replace(/\.?0+$/, "") || "0";
}

/** A GitHub markdown table; cells are printed as given (numbers via fmt). */
export function markdownTable(headers, rows) {
  const cells = rows.map((row) => row.map((c) => (typeof c === "number" ? fmt(c) : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(headers), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...cells.map(line)].join("\n");
}

/** Facts about the machine, so a figure is never read without its context. */
export function environment() {
  return { node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString() };
}

/** Load average (1, 5, 15 min) and cores, rounded: how busy the machine was while a figure was taken. */
export function machineLoad() {
  return { loadavg: loadavg().map((l) => Number(l.toFixed(2))), cpus: availableParallelism() };
}

/** "load 3.9 / 5.1 / 4.8 on 2 cores" */
export function formatLoad(load) {
  return `load ${load.loadavg.map((l) => l.toFixed(1)).join(" / ")} on ${load.cpus} cores`;
}

/**
 * Writes bench/results/<name>.md (title, notes, the table) and <name>.json (`data` as given plus the environment),
 * prints the markdown, and returns the paths. `secrets` (e.g. a sandbox's random token): if any of them appears in
 * what would be written, nothing is written and this throws, without repeating the secret.
 */
export function writeResults(name, { title, table, notes = [], data = {}, secrets = [] }) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const env = environment();
  const md = [
    `# ${title}`,
    "",
    `Node ${env.node}, ${env.platform}, ${env.date}.`,
    "",
    table,
    "",
    ...notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
  const json = `${JSON.stringify({ name, title, environment: env, ...data }, null, 2)}\n`;
  for (const secret of secrets) {
    if (typeof secret === "string" && secret.length >= 8 && (md.includes(secret) || json.includes(secret))) {
      throw new Error(`${name}: a secret (a token) would have been written to the results; nothing was written`);
    }
  }
  const mdPath = `${RESULTS_DIR}${name}.md`;
  const jsonPath = `${RESULTS_DIR}${name}.json`;
  writeFileSync(mdPath, md);
  writeFileSync(jsonPath, json);
  process.stdout.write(`${md}\nwritten: ${mdPath}, ${jsonPath}\n`);
  return { mdPath, jsonPath };
}
