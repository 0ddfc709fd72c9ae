/**
 * The 0600 login file the terminal app writes (`intercom-kit login`) and every Node frontend reads (the CLI, the agent
 * server). Node-only; the environment is passed in, never read here.
 */
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { isRegion, type Region } from "@intercom-kit/core";
import type { TokenSource } from "./backend.js";

/** What `intercom-kit login` keeps on disk. The token is the only secret; the rest says where it is valid. */
export interface StoredConfig {
  token?: string;
  region?: Region;
  baseUrl?: string;
}

export interface ConfigLocation {
  dir: string;
  file: string;
}

/** `${XDG_CONFIG_HOME:-~/.config}/intercom-kit/config.json`. */
export function configLocation(
  env: Readonly<Record<string, string | undefined>>,
  home: string = homedir(),
): ConfigLocation {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== "" ? env.XDG_CONFIG_HOME : join(home, ".config");
  const dir = join(base, "intercom-kit");
  return { dir, file: join(dir, "config.json") };
}

export type ReadConfigResult =
  | { ok: true; config: StoredConfig; warning?: string }
  | { ok: false; message: string; hint: string };

/** A missing file is an empty config; an unreadable or corrupt one is an error naming the file (never its content). */
export async function readConfig(location: ConfigLocation): Promise<ReadConfigResult> {
  let text: string;
  try {
    text = await readFile(location.file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, config: {} };
    return {
      ok: false,
      message: `Cannot read ${location.file}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      hint: "Fix the file's permissions, or run `intercom-kit logout` and log in again",
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {
      ok: false,
      message: `${location.file} is not valid JSON`,
      hint: "Run `intercom-kit logout` and `intercom-kit login` to rewrite it",
    };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { ok: false, message: `${location.file} is not a JSON object`, hint: "Run `intercom-kit logout`" };
  }
  const raw = parsed as Record<string, unknown>;
  const config: StoredConfig = {};
  if (typeof raw.token === "string" && raw.token !== "") config.token = raw.token;
  if (typeof raw.region === "string" && isRegion(raw.region)) config.region = raw.region;
  if (typeof raw.baseUrl === "string" && raw.baseUrl !== "") config.baseUrl = raw.baseUrl;
  let warning: string | undefined;
  if (process.platform !== "win32") {
    const info = await stat(location.file);
    // Like ssh with private keys: a token others can read is worth a loud warning.
    if ((info.mode & 0o077) !== 0) {
      warning = `${location.file} is readable by other users (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it`;
    }
  }
  return warning ? { ok: true, config, warning } : { ok: true, config };
}

/** Writes atomically with mode 0600 inside a 0700 directory, so the token is never briefly world-readable. */
export async function writeConfig(location: ConfigLocation, config: StoredConfig): Promise<void> {
  await mkdir(location.dir, { recursive: true, mode: 0o700 });
  await chmod(location.dir, 0o700);
  const tmp = `${location.file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, location.file);
}

/** Deletes the config file (it holds nothing but the token and where it is valid). Returns whether there was a token. */
export async function removeToken(location: ConfigLocation): Promise<boolean> {
  const current = await readConfig(location);
  await rm(location.file, { force: true });
  return !current.ok || current.config.token !== undefined;
}

/** The token in `INTERCOM_ACCESS_TOKEN`, as a source for {@link chooseBackend}. */
export function envTokenSource(env: Readonly<Record<string, string | undefined>>): TokenSource {
  return { label: "INTERCOM_ACCESS_TOKEN", read: () => ({ token: env.INTERCOM_ACCESS_TOKEN }) };
}

/** The token `intercom-kit login` stored (with its region or base URL), as a source for {@link chooseBackend}. */
export function fileTokenSource(location: ConfigLocation): TokenSource {
  return {
    label: "the login file",
    read: async () => {
      const stored = await readConfig(location);
      if (!stored.ok) return { error: { message: stored.message, hint: stored.hint } };
      return { ...stored.config, ...(stored.warning ? { warning: stored.warning } : {}) };
    },
  };
}
