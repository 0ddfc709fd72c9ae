import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, ensureBuilt } from "./binary.js";
import { requireTmux, startTmux, type TmuxSession } from "./tmux.js";

let sandbox: Sandbox;
let home: string;
let counter = 0;

beforeAll(async () => {
  requireTmux();
  ensureBuilt();
  sandbox = await startSandbox();
  home = await mkdtemp(join(tmpdir(), "ik-tmux-"));
});
afterAll(async () => {
  await sandbox?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** The token travels in the environment of a private tmux server; only the sandbox URL is on the command line. */
async function withTerminal(fn: (t: TmuxSession) => Promise<void>, env?: NodeJS.ProcessEnv) {
  counter += 1;
  const session = startTmux(
    `ik-e2e-${process.pid}-${counter}`,
    ["update", "--base-url", sandbox.url],
    env ?? baseEnv(home, { INTERCOM_ACCESS_TOKEN: sandbox.token, TERM: "xterm-256color" }),
  );
  try {
    await fn(session);
    expect(session.capture()).not.toContain(sandbox.token);
  } finally {
    session.kill();
  }
}

describe("the built binary in a real terminal (tmux)", () => {
  it("fills the form by keystrokes, reviews, applies, shows the result, and the sandbox user changed", async () => {
    sandbox.reset();
    await withTerminal(async (t) => {
      const first = await t.waitFor("How do you want to identify the user?");
      expect(first).toContain(`Custom server ${sandbox.url}`);
      t.keys("Enter");
      await t.waitFor("Find the user");
      t.text(SEED.user.externalId);
      t.keys("Tab");
      t.text("Ada Lovelace");
      t.keys("Tab");
      t.text("ada@");
      await t.waitFor("New email must be a valid email address");
      t.text("example.com");
      await t.waitFor(/New email\s+ada@example\.com/);
      expect(t.capture()).not.toContain("must be a valid email");
      t.keys("Tab", "Tab", "Right"); // Phone -> Unsubscribed from emails: Leave unchanged -> Unsubscribed
      await t.waitFor("‹ Unsubscribed (no emails) ›");
      t.keys("C-s");
      const review = await t.waitFor("Review the change");
      expect(review).toMatch(/Name\s+Joe Example\s+->\s+Ada Lovelace/);
      expect(review).toMatch(/New email\s+joe@example\.com\s+->\s+ada@example\.com/);
      expect(review).toContain("PUT  /contacts/{contact_id}");
      // Nothing written before the confirmation.
      expect((sandbox.state.getContact(SEED.user.id) as Record<string, unknown>).name).toBe("Joe Example");
      t.keys("Enter");
      const result = await t.waitFor("✓ User updated");
      expect(result).toMatch(/Name\s+Ada Lovelace/);
      expect(result).toContain("Identity");
      const stored = sandbox.state.getContact(SEED.user.id) as Record<string, unknown>;
      expect(stored.name).toBe("Ada Lovelace");
      expect(stored.email).toBe("ada@example.com");
      expect(stored.unsubscribed_from_emails).toBe(true);
      t.keys("q");
      await t.waitFor("EXIT=0");
    });
  });

  it("shows a lookup error with its request id; going back keeps the input; Esc goes back a screen", async () => {
    sandbox.reset();
    await withTerminal(async (t) => {
      await t.waitFor("How do you want to identify the user?");
      t.keys("Enter");
      await t.waitFor("Find the user");
      t.text("no-such-user");
      t.keys("Tab");
      t.text("Someone");
      t.keys("C-s");
      const error = await t.waitFor("Request id:");
      expect(error).toMatch(/no-such-user/);
      expect(error).toContain("Hint:");
      t.keys("Enter");
      const form = await t.waitFor("Find the user");
      expect(form).toMatch(/User ID\s+no-such-user/);
      expect(form).toMatch(/Name\s+Someone/);
      t.keys("Escape");
      await t.waitFor("How do you want to identify the user?");
      t.keys("C-c");
      await t.waitFor("EXIT=130");
    });
  });

  it("without a token it runs on the embedded sandbox and says so in the banner", async () => {
    counter += 1;
    const session = startTmux(
      `ik-e2e-${process.pid}-${counter}`,
      ["update"],
      baseEnv(home, { TERM: "xterm-256color" }),
    );
    try {
      const screen = await session.waitFor("How do you want to identify the user?");
      expect(screen).toContain("Sandbox (changes stay on this machine)");
      session.keys("Escape");
      await session.waitFor("EXIT=0");
    } finally {
      session.kill();
    }
  });

  it("login asks for the token with masked input, checks it, and stores it 0600", async () => {
    counter += 1;
    const loginHome = await mkdtemp(join(tmpdir(), "ik-login-"));
    const session = startTmux(
      `ik-e2e-${process.pid}-${counter}`,
      ["login", "--base-url", sandbox.url],
      baseEnv(loginHome, { TERM: "xterm-256color" }),
    );
    try {
      await session.waitFor("Access token:");
      session.text(sandbox.token);
      const typed = await session.waitFor("*".repeat(sandbox.token.length));
      expect(typed).not.toContain(sandbox.token);
      session.keys("Enter");
      const done = await session.waitFor("EXIT=");
      expect(done).toContain("EXIT=0");
      expect(done).toContain("Logged in");
      expect(done).not.toContain(sandbox.token);
      const file = join(loginHome, "intercom-kit", "config.json");
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, "utf8")).token).toBe(sandbox.token);
    } finally {
      session.kill();
      await rm(loginHome, { recursive: true, force: true });
    }
  });

  it("with flags in a terminal: shows the diff and asks y/N on stderr; n changes nothing", async () => {
    sandbox.reset();
    counter += 1;
    const session = startTmux(
      `ik-e2e-${process.pid}-${counter}`,
      ["update", "--user-id", "25", "--name", "Asked First", "--base-url", sandbox.url],
      baseEnv(home, { INTERCOM_ACCESS_TOKEN: sandbox.token, TERM: "xterm-256color" }),
    );
    try {
      const asked = await session.waitFor("Apply this change? [y/N]");
      expect(asked).toMatch(/Name\s+Joe Example\s+->\s+Asked First/);
      session.keys("n", "Enter");
      const done = await session.waitFor("EXIT=");
      expect(done).toContain("Nothing was changed.");
      expect(done).toContain("EXIT=1");
      expect((sandbox.state.getContact(SEED.user.id) as Record<string, unknown>).name).toBe("Joe Example");
      expect(sandbox.requests().some((r) => r.method === "PUT")).toBe(false);
    } finally {
      session.kill();
    }
  });
});
