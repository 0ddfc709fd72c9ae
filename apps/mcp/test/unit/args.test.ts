import { describe, expect, it } from "vitest";
import { DEFAULT_PLAN_TTL_MS, parseServerArgs } from "../../src/args.js";

describe("parseServerArgs", () => {
  it.each([
    [[], { sandbox: undefined, request: {}, planTtlMs: DEFAULT_PLAN_TTL_MS }],
    [["--sandbox"], { request: { sandbox: true }, planTtlMs: DEFAULT_PLAN_TTL_MS }],
    [
      ["--region", "eu", "--api-version", "2.16", "--timeout", "2.5"],
      { request: { region: "eu", apiVersion: "2.16", timeoutMs: 2500 }, planTtlMs: DEFAULT_PLAN_TTL_MS },
    ],
    [
      ["--base-url=http://127.0.0.1:4010", "--plan-ttl", "60"],
      { request: { baseUrl: "http://127.0.0.1:4010" }, planTtlMs: 60_000 },
    ],
  ])("%j", (argv, want) => {
    const parsed = parseServerArgs(argv);
    expect(parsed).toMatchObject({ ok: true, action: "serve", request: want.request, planTtlMs: want.planTtlMs });
    if (parsed.ok && parsed.action === "serve") expect(parsed.request).toEqual(want.request);
  });

  it.each([
    [["-h"], "help"],
    [["--version"], "version"],
  ])("%j", (argv, action) => {
    expect(parseServerArgs(argv)).toEqual({ ok: true, action });
  });

  it.each([
    [["--nope"], /Unknown option '--nope'/],
    [["--timeout=-1"], /--timeout must be a positive number of seconds/],
    [["--timeout", ""], /--timeout must be a positive number of seconds/],
    [["--plan-ttl", "forever"], /--plan-ttl must be a positive number of seconds/],
    [["x"], /Unexpected argument/],
  ])("%j is refused", (argv, message) => {
    const parsed = parseServerArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});
