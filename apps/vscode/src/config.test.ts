import { describe, expect, it } from "vitest";
import { resolveConnection } from "./config.js";

describe("resolveConnection", () => {
  it.each<[string, { given: Record<string, unknown>; want: unknown }]>([
    ["defaults", { given: {}, want: { ok: true, connection: { region: "us", version: "2.15" } } }],
    [
      "eu, 2.14",
      {
        given: { region: "eu", apiVersion: " 2.14 " },
        want: { ok: true, connection: { region: "eu", version: "2.14" } },
      },
    ],
    [
      "loopback http is allowed (the sandbox)",
      {
        given: { baseUrl: "http://127.0.0.1:4010/" },
        want: { ok: true, connection: { region: "us", version: "2.15", baseUrl: "http://127.0.0.1:4010" } },
      },
    ],
    [
      "empty baseUrl means the region's server",
      { given: { baseUrl: "  " }, want: { ok: true, connection: { region: "us", version: "2.15" } } },
    ],
  ])("accepts %s", (_n, { given, want }) => {
    expect(resolveConnection(given)).toEqual(want);
  });

  it.each<[string, { given: Record<string, unknown>; want: RegExp }]>([
    [
      "http to a remote host",
      { given: { baseUrl: "http://api.example.com" }, want: /^Setting intercomKit\.baseUrl: .*unencrypted/ },
    ],
    ["not a URL", { given: { baseUrl: "api.intercom.io" }, want: /^Setting intercomKit\.baseUrl: / }],
    [
      "an unknown region",
      { given: { region: "mars" }, want: /^Setting intercomKit\.region must be one of us, eu, au/ },
    ],
    [
      "a bad version",
      { given: { apiVersion: "latest" }, want: /^Setting intercomKit\.apiVersion must be an Intercom API version/ },
    ],
  ])("refuses %s, naming the setting", (_n, { given, want }) => {
    const got = resolveConnection(given);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.message).toMatch(want);
  });
});
