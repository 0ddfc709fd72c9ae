import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configLocation, readConfig, removeToken, writeConfig } from "@intercom-kit/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const TOKEN = "dG9rOnNlY3JldC10b2tlbi12YWx1ZQ==";
let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "ik-token-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("config location", () => {
  it("uses XDG_CONFIG_HOME when set, else ~/.config", () => {
    expect(configLocation({ XDG_CONFIG_HOME: "/x/cfg" }, "/home/u").file).toBe("/x/cfg/intercom-kit/config.json");
    expect(configLocation({}, "/home/u").file).toBe("/home/u/.config/intercom-kit/config.json");
    expect(configLocation({ XDG_CONFIG_HOME: "" }, "/home/u").dir).toBe("/home/u/.config/intercom-kit");
  });
});

describe("token store", () => {
  it("writes the file 0600 inside a 0700 directory and reads it back", async () => {
    const loc = configLocation({ XDG_CONFIG_HOME: home });
    await writeConfig(loc, { token: TOKEN, region: "eu" });
    expect((await stat(loc.file)).mode & 0o777).toBe(0o600);
    expect((await stat(loc.dir)).mode & 0o777).toBe(0o700);
    const read = await readConfig(loc);
    expect(read).toEqual({ ok: true, config: { token: TOKEN, region: "eu" } });
  });

  it("tightens an existing directory to 0700", async () => {
    const loc = configLocation({ XDG_CONFIG_HOME: home });
    await writeConfig(loc, { token: TOKEN });
    await chmod(loc.dir, 0o755);
    await writeConfig(loc, { token: TOKEN });
    expect((await stat(loc.dir)).mode & 0o777).toBe(0o700);
  });

  it("treats a missing file as no token", async () => {
    expect(await readConfig(configLocation({ XDG_CONFIG_HOME: home }))).toEqual({ ok: true, config: {} });
  });

  it("warns when others can read the file, without printing the token", async () => {
    const loc = configLocation({ XDG_CONFIG_HOME: home });
    await writeConfig(loc, { token: TOKEN });
    await chmod(loc.file, 0o644);
    const read = await readConfig(loc);
    expect(read.ok && read.warning).toMatch(/readable by other users.*644/);
    expect(JSON.stringify(read.ok ? read.warning : "")).not.toContain(TOKEN);
  });

  it("reports a corrupt file by name, never by content", async () => {
    const loc = configLocation({ XDG_CONFIG_HOME: home });
    await writeConfig(loc, { token: TOKEN });
    await writeFile(loc.file, `{"token": "${TOKEN}"`, { mode: 0o600 });
    const read = await readConfig(loc);
    expect(read.ok).toBe(false);
    expect(JSON.stringify(read)).toContain("config.json");
    expect(JSON.stringify(read)).not.toContain(TOKEN);
  });

  it("logout deletes the file and says whether there was a token", async () => {
    const loc = configLocation({ XDG_CONFIG_HOME: home });
    await writeConfig(loc, { token: TOKEN });
    expect(await removeToken(loc)).toBe(true);
    await expect(readFile(loc.file)).rejects.toThrow(/ENOENT/);
    expect(await removeToken(loc)).toBe(false);
  });
});
