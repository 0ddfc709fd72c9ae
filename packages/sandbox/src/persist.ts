import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { DataAttribute, SandboxData } from "./model.js";
import { createSeedData } from "./seed.js";

/**
 * Writes the state so a reader (or a crash) sees either the old file or the new one, never a partial one:
 * a temp file in the same directory, fsync, rename over the target, then fsync the directory.
 * Synchronous on purpose: the response is sent only after the change is durable, so another process that
 * reads the file after seeing the response sees the change.
 */
export function writeStateAtomic(file: string, data: SandboxData): void {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(data, null, 2)}\n`);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  }
}

/** Reads a state file; undefined when it does not exist. Throws a clear error when it is not a sandbox state. */
export function readState(file: string): SandboxData | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`stateFile ${file} is not valid JSON`);
  }
  const problem = checkSandboxData(parsed);
  if (problem) throw new Error(`stateFile ${file} is not an intercom-kit sandbox state (${problem})`);
  return upgradeSandboxData(parsed as SandboxData);
}

/** A cheap structural check of a state (from a file or `options.data`); returns what is wrong, or null. */
export function checkSandboxData(value: unknown): string | null {
  const d = value as Partial<SandboxData> | null;
  if (d?.format !== "intercom-kit-sandbox-state" || d.version !== 1)
    return 'format must be "intercom-kit-sandbox-state", version 1';
  for (const key of ["contacts", "companies", "tags", "segments", "data_attributes"] as const)
    if (!Array.isArray(d[key])) return `${key} must be an array`;
  if (d.admins !== undefined && !Array.isArray(d.admins)) return "admins must be an array";
  if (typeof d.workspace_id !== "string") return "workspace_id must be a string";
  if (typeof d.next_id !== "number") return "next_id must be a number";
  return null;
}

/**
 * Fills in what a state written by an older sandbox (or built by hand) lacks: the `archived` flag of contacts,
 * the details of data attributes, the admins (the seed's). Changes `data` in place (callers pass their own copy).
 */
export function upgradeSandboxData(data: SandboxData): SandboxData {
  for (const c of data.contacts) c.archived ??= false;
  const seed = createSeedData();
  data.admins ??= seed.admins;
  const taken = new Set(data.data_attributes.map((a) => a.id).filter((id) => Number.isInteger(id)));
  let nextId = Math.max(0, ...taken, ...seed.data_attributes.map((a) => a.id)) + 1;
  data.data_attributes = data.data_attributes.map((a) => {
    const partial = a as Partial<DataAttribute> & Pick<DataAttribute, "name" | "model" | "data_type">;
    const known = seed.data_attributes.find((s) => s.name === partial.name && s.model === partial.model);
    return {
      ...(known ?? {
        label: partial.name,
        description: null,
        options: null,
        api_writable: true,
        messenger_writable: false,
        ui_writable: true,
        archived: false,
        admin_id: null,
        created_at: 0,
        updated_at: 0,
      }),
      ...partial,
      id: Number.isInteger(partial.id) ? partial.id! : nextId++,
    } as DataAttribute;
  });
  return data;
}
