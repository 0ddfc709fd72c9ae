import { describe, expect, it } from "vitest";
import { checkBaseUrl, createIntercomClient } from "../src/index.js";

const TOKEN = "tok_base_url_test_a1b2c3";

describe("checkBaseUrl", () => {
  it.each([
    ["https://api.intercom.io", "https://api.intercom.io"],
    ["https://api.eu.intercom.io/", "https://api.eu.intercom.io"],
    ["https://proxy.example.com/intercom/", "https://proxy.example.com/intercom"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["http://127.45.6.7", "http://127.45.6.7"],
    ["http://127.1:9000", "http://127.0.0.1:9000"],
    ["http://localhost:3000/", "http://localhost:3000"],
    ["http://LOCALHOST:3000", "http://localhost:3000"],
    ["http://[::1]:4010", "http://[::1]:4010"],
    ["  https://api.intercom.io  ", "https://api.intercom.io"],
  ])("accepts %s as %s", (given, want) => {
    expect(checkBaseUrl(given)).toEqual({ ok: true, url: want });
  });

  it.each([
    ["http://api.intercom.io", /uses http:, which would send the access token unencrypted/],
    ["http://10.0.0.5:8080", /uses http:/],
    ["http://128.0.0.1", /uses http:/],
    ["http://localhost.evil.com", /uses http:/],
    ["http://127.0.0.1.nip.io", /uses http:/],
    ["ftp://api.intercom.io", /must be an https:\/\/ URL; got ftp:/],
    ["api.intercom.io", /not a valid URL/],
    ["", /baseUrl is empty/],
    ["https://user:pw@api.intercom.io", /must not contain a user name or password/],
    ["https://api.intercom.io/?x=1", /must not have a query or fragment/],
  ])("refuses %s", (given, message) => {
    const checked = checkBaseUrl(given);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.message).toMatch(message);
      expect(checked.message).not.toMatch(/\n/);
    }
  });

  it("createIntercomClient throws the same message, before any request", () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return new Response("{}");
    }) as typeof globalThis.fetch;
    expect(() => createIntercomClient({ token: TOKEN, baseUrl: "http://intercom.example", fetch })).toThrow(
      /^createIntercomClient: options\.baseUrl http:\/\/intercom\.example uses http:/,
    );
    expect(calls).toBe(0);
  });

  it("never echoes a token pasted into baseUrl by mistake", () => {
    let message = "";
    try {
      createIntercomClient({ token: TOKEN, baseUrl: `http://example.com/${TOKEN}` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/options\.baseUrl/);
    expect(message).not.toContain(TOKEN);
  });
});
