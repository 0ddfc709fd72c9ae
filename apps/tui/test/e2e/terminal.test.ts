/**
 * The built binary in a real pseudo-terminal (tmux), at the sizes people use: 100x30 and 60x20. What the pane shows
 * is what a person sees; `captureStyled` adds the colours, `title` the pane title an escape sequence would change.
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_LABEL } from "@intercom-kit/domain";
import { type ContactRecord, createSeedData, type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { baseEnv, ensureBuilt } from "./binary.js";
import { requireTmux, startTmux, type TmuxSession } from "./tmux.js";

const WIDE = { cols: 100, rows: 30 };
const SMALL = { cols: 60, rows: 20 };
const HOSTILE = "Tim\x1b]0;PWNED\x07\x1b[31mRed";
const HOSTILE_SHOWN = "Tim\\e]0;PWNED\\x07\\e[31mRed";
const ESC = "\x1b";

let sandbox: Sandbox;
let home: string;
let counter = 0;

beforeAll(async () => {
  requireTmux();
  ensureBuilt();
  const data = createSeedData();
  const template = data.contacts.find((c) => c.id === SEED.plainUser.id) as ContactRecord;
  data.contacts.push({
    ...structuredClone(template),
    id: "c0ffee000000000000000bad",
    external_id: "hostile",
    email: "tim@example.com",
    name: HOSTILE,
  });
  sandbox = await startSandbox({ data });
  home = await mkdtemp(join(tmpdir(), "ik-tmux-"));
});
afterAll(async () => {
  await sandbox?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});
beforeEach(() => {
  sandbox.reset();
  sandbox.setFaults([]);
});

const env = (extra: Record<string, string> = {}) =>
  baseEnv(home, { INTERCOM_ACCESS_TOKEN: sandbox.token, TERM: "xterm-256color", ...extra });

/** The token travels in the environment of a private tmux server; only the sandbox URL is on the command line. */
async function inTerminal(
  args: string[],
  size: { cols: number; rows: number },
  fn: (t: TmuxSession) => Promise<void>,
  environment: NodeJS.ProcessEnv = env(),
) {
  counter += 1;
  const session = startTmux(`ik-e2e-${process.pid}-${counter}`, args, environment, size);
  try {
    await fn(session);
    expect(session.capture()).not.toContain(sandbox.token);
  } finally {
    session.kill();
  }
}

const form = ["update", "--base-url", () => sandbox.url] as const;
const formArgs = () => form.map((a) => (typeof a === "function" ? a() : a));

/** Identify by User ID, keep the default group, type the user ID. */
async function openForm(t: TmuxSession, userId: string) {
  await t.waitFor("How do you want to identify the user?");
  t.keys("Enter");
  await t.waitFor("What do you want to change?");
  t.keys("Enter");
  await t.waitFor("[ Review changes ]");
  t.text(userId);
}

const rows = (screen: string) => screen.replace(/\n+$/, "").split("\n");

describe("the built binary in a real terminal (tmux)", () => {
  it("100x30: fills the form by keystrokes, reviews, applies with each call's state, shows the result", async () => {
    await inTerminal(formArgs(), WIDE, async (t) => {
      const first = await t.waitFor("How do you want to identify the user?");
      expect(first).toContain(`Custom server ${sandbox.url}`);
      await openForm(t, SEED.user.externalId);
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
      expect(review).toMatch(/Name\s+Joe Example -> Ada Lovelace/);
      expect(review).toMatch(/New email\s+joe@example\.com -> ada@example\.com/);
      expect(review).toMatch(/PUT\s+\/contacts\/665b43285a4db0c1e2000001\s+update the user's fields/);
      expect((sandbox.state.getContact(SEED.user.id) as Record<string, unknown>).name).toBe("Joe Example");
      t.keys("Enter");
      const result = await t.waitFor("✓ Updated Ada Lovelace <ada@example.com>");
      expect(result).toMatch(/Name\s+Ada Lovelace/);
      const stored = sandbox.state.getContact(SEED.user.id) as Record<string, unknown>;
      expect(stored.email).toBe("ada@example.com");
      expect(stored.unsubscribed_from_emails).toBe(true);
      t.keys("q");
      await t.waitFor("EXIT=0");
    });
  });

  it("control characters in a name are shown as escapes: the pane title and colours are untouched", async () => {
    for (const size of [WIDE, SMALL]) {
      await inTerminal(formArgs(), size, async (t) => {
        const titleBefore = t.title();
        await openForm(t, "hostile");
        t.keys("Tab");
        t.text("Tim Safe");
        t.keys("C-s");
        const review = await t.waitFor("Review the change");
        expect(review.replace(/\s+/g, " ")).toContain(`User: ${HOSTILE_SHOWN} <tim@example.com>`);
        t.keys("Escape");
        await t.waitFor("[ Review changes ]");
        t.keys("Escape");
        await t.waitFor("What do you want to change?");
        t.keys("Escape");
        await t.waitFor("How do you want to identify the user?");
        t.keys("Escape");
        await t.waitFor("EXIT=0");
        expect(t.title()).toBe(titleBefore);
        expect(t.title()).not.toContain("PWNED");
      });
    }
    // The plain output of a flag run: the record on stdout and the outcome on stderr, in the same terminal.
    await inTerminal(
      ["update", "--user-id", "hostile", "--phone", "+1 555 0100", "--yes", "--base-url", sandbox.url],
      WIDE,
      async (t) => {
        const titleBefore = t.title();
        await t.waitFor("EXIT=");
        const done = t.captureAll();
        expect(done).toContain("EXIT=0");
        expect(done).toContain(`Updated ${HOSTILE_SHOWN} <tim@example.com>`);
        expect(done).toMatch(new RegExp(`Name\\s+${HOSTILE_SHOWN.replace(/[\\[\]]/g, "\\$&")}`));
        expect(t.title()).toBe(titleBefore);
        const styled = t.captureStyled();
        expect(styled).not.toContain(`${ESC}[31m`);
      },
    );
  });

  it("apply shows each call's own state: a slow PUT spins while the reads are ticked (100x30)", async () => {
    await inTerminal(formArgs(), WIDE, async (t) => {
      await openForm(t, SEED.user.externalId);
      t.keys("Tab");
      t.text("Slow Write");
      t.keys("C-s");
      await t.waitFor("Review the change");
      sandbox.setFaults([{ method: "PUT", latencyMs: 4000 }]);
      t.keys("Enter");
      const during = await t.waitFor(/✓ GET\s+\/contacts\/\S+\/segments/);
      expect(during).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] PUT\s+\/contacts\//);
      expect(during).not.toMatch(/✓ PUT/);
      await t.waitFor("✓ Updated Slow Write", 15_000);
    });
  });

  it("waiting is never silent: a 429 on the PUT shows the retry line (60x20)", async () => {
    await inTerminal(formArgs(), SMALL, async (t) => {
      await openForm(t, SEED.user.externalId);
      t.keys("Tab");
      t.text("After 429");
      t.keys("C-s");
      await t.waitFor("Review the change");
      sandbox.setFaults([
        { method: "PUT", status: 429, times: 1 },
        { method: "PUT", latencyMs: 500 },
      ]);
      t.keys("Enter");
      const waiting = await t.waitFor(/429 rate limited,\s+retrying in/);
      expect(waiting).toMatch(/… PUT \/contacts\//);
      await t.waitFor("✓ Updated After 429", 20_000);
    });
  });

  it("60x20: the banner wraps as a paragraph and the outcome stays on screen above the record and its keys", async () => {
    await inTerminal(formArgs(), SMALL, async (t) => {
      await openForm(t, SEED.plainUser.externalId);
      t.keys("Tab");
      t.text("Linus Small");
      t.keys("C-s");
      await t.waitFor("Review the change");
      t.keys("Enter");
      const screen = await t.waitFor("✓ Updated Linus Small");
      const lines = rows(screen);
      expect(lines[0]).toMatch(/^intercom-kit · API 2\.15 · Custom server$/);
      expect(lines[1]).toBe(sandbox.url);
      expect(screen).toContain("q/Esc quit");
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    });
  });

  it("100x30: a long avatar URL is wrapped to the width, so the title stays on screen", async () => {
    const url = `https://example.com/${"very-long-path/".repeat(12)}picture.png`;
    await inTerminal(formArgs(), WIDE, async (t) => {
      await t.waitFor("How do you want to identify the user?");
      t.keys("Enter");
      await t.waitFor("What do you want to change?");
      t.keys("Space", "Down", "Down", "Down", "Down", "Space", "Enter"); // only "User ID, role, owner, avatar, dates"
      await t.waitFor("Avatar");
      t.text(SEED.user.externalId);
      t.keys("Tab", "Tab", "Tab", "Tab");
      t.text(url);
      t.keys("C-s");
      await t.waitFor("Review the change");
      t.keys("Enter");
      const screen = await t.waitFor("✓ Updated Joe Example");
      const lines = rows(screen);
      expect(lines[0]).toMatch(/^intercom-kit · API 2\.15 · Custom server/);
      expect(lines.length).toBeLessThanOrEqual(30);
      expect(screen).toContain("q/Esc quit");
    });
  });

  it("keys arriving in one chunk are handled in order: Down Enter picks Intercom ID", async () => {
    await inTerminal(formArgs(), WIDE, async (t) => {
      await t.waitFor("How do you want to identify the user?");
      t.text("\x1b[B\r"); // one write: Down, Enter
      await t.waitFor("What do you want to change?");
      t.text("\r");
      const screen = await t.waitFor("[ Review changes ]");
      expect(screen).toMatch(/❯ Intercom ID/);
      t.text(`${SEED.user.id}\tChunked Name`); // one write: id, Tab, name
      await t.waitFor(/Name\s+Chunked Name/);
      t.keys("C-c");
      await t.waitFor("EXIT=130");
    });
  });

  it("NO_COLOR: no colour sequence reaches the terminal (and without it, there are colours)", async () => {
    // ESC [ ... 3x m (a foreground colour) or ESC [ ... 38; (256 colours / RGB)
    const colours = new RegExp(`${ESC}\\[[0-9;]*3[0-7]m|${ESC}\\[[0-9;]*38;`);
    await inTerminal(
      formArgs(),
      WIDE,
      async (t) => {
        await openForm(t, SEED.user.externalId);
        await t.waitFor(new RegExp(`User ID\\s+${SEED.user.externalId}`));
        expect(t.captureStyled()).not.toMatch(colours);
        t.keys("C-c");
        await t.waitFor("EXIT=130");
      },
      env({ NO_COLOR: "1" }),
    );
    await inTerminal(formArgs(), WIDE, async (t) => {
      await t.waitFor("How do you want to identify the user?");
      expect(t.captureStyled()).toMatch(colours);
      t.keys("C-c");
      await t.waitFor("EXIT=130");
    });
  });

  it("one Ctrl-C in the form exits 130 and gives the terminal back (icanon and echo on)", async () => {
    await inTerminal(formArgs(), SMALL, async (t) => {
      await openForm(t, SEED.user.externalId);
      t.keys("C-c");
      const done = await t.waitFor("TTY=");
      expect(done).toContain("EXIT=130");
      expect(done).toMatch(/TTY=icanon echo/);
    });
  });

  it("one Ctrl-C at the y/N prompt exits 130; a key typed after it is not an answer; the terminal is back", async () => {
    await inTerminal(
      ["update", "--user-id", "25", "--name", "Asked First", "--base-url", sandbox.url],
      WIDE,
      async (t) => {
        const asked = await t.waitFor("Apply this change? [y/N]");
        expect(asked).toMatch(/Name\s+Joe Example -> Asked First/);
        t.keys("C-c");
        t.keys("y", "Enter");
        const done = await t.waitFor("TTY=");
        expect(done).toContain("Interrupted: nothing was changed.");
        expect(done).toContain("EXIT=130");
        expect(done).toMatch(/TTY=icanon echo/);
        expect(sandbox.requests().some((r) => r.method === "PUT")).toBe(false);
      },
    );
  });

  it("at the y/N prompt, n changes nothing (exit 1)", async () => {
    await inTerminal(
      ["update", "--user-id", "25", "--name", "Asked First", "--base-url", sandbox.url],
      SMALL,
      async (t) => {
        await t.waitFor("Apply this change? [y/N]");
        t.keys("n", "Enter");
        const done = await t.waitFor("EXIT=");
        expect(done).toContain("Nothing was changed.");
        expect(done).toContain("EXIT=1");
        expect(sandbox.requests().some((r) => r.method === "PUT")).toBe(false);
      },
    );
  });

  it("without a token it runs on the embedded sandbox and the banner says its changes are gone when it stops", async () => {
    await inTerminal(
      ["update"],
      WIDE,
      async (t) => {
        const screen = await t.waitFor("How do you want to identify the user?");
        expect(screen.replace(/\s+/g, " ")).toContain(SANDBOX_LABEL);
        expect(screen).not.toContain("stay on this machine");
        t.keys("Escape");
        await t.waitFor("EXIT=0");
      },
      baseEnv(home, { TERM: "xterm-256color" }),
    );
  });

  it("login: masked input; two Backspaces in one chunk delete two; stored 0600", async () => {
    const loginHome = await mkdtemp(join(tmpdir(), "ik-login-"));
    try {
      await inTerminal(
        ["login", "--base-url", sandbox.url],
        WIDE,
        async (t) => {
          await t.waitFor("Access token:");
          t.text(`${sandbox.token}xy`);
          await t.waitFor("*".repeat(sandbox.token.length + 2));
          t.text("\x7f\x7f"); // one write: two Backspaces
          const typed = await t.waitFor(new RegExp(`Access token: \\*{${sandbox.token.length}}(?!\\*)`));
          expect(typed).not.toContain(sandbox.token);
          t.keys("Enter");
          const done = await t.waitFor("EXIT=");
          expect(done).toContain("EXIT=0");
          expect(done).toContain("Logged in");
          const file = join(loginHome, "intercom-kit", "config.json");
          expect((await stat(file)).mode & 0o777).toBe(0o600);
          expect(JSON.parse(await readFile(file, "utf8")).token).toBe(sandbox.token);
        },
        baseEnv(loginHome, { TERM: "xterm-256color" }),
      );
    } finally {
      await rm(loginHome, { recursive: true, force: true });
    }
  });

  it("login: a pasted token ending in a newline submits it", async () => {
    const loginHome = await mkdtemp(join(tmpdir(), "ik-login-"));
    try {
      await inTerminal(
        ["login", "--base-url", sandbox.url],
        SMALL,
        async (t) => {
          await t.waitFor("Access token:");
          t.text(`${sandbox.token}\r`); // one write, as a paste
          const done = await t.waitFor("EXIT=");
          expect(done).toContain("EXIT=0");
          expect(JSON.parse(await readFile(join(loginHome, "intercom-kit", "config.json"), "utf8")).token).toBe(
            sandbox.token,
          );
        },
        baseEnv(loginHome, { TERM: "xterm-256color" }),
      );
    } finally {
      await rm(loginHome, { recursive: true, force: true });
    }
  });
});
