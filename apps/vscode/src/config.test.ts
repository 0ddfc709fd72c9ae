import { readFileSync } from "node:fs";
import { API_VERSIONS, DEFAULT_API_VERSION, REGIONS } from "@intercom-kit/domain";
import { describe, expect, it } from "vitest";
import { backendRequest, SETTING_NAMES } from "./config.js";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    configuration: { properties: Record<string, Record<string, unknown>> };
  };
};
const setting = (name: string) => manifest.contributes.configuration.properties[`intercomKit.${name}`] ?? {};

describe("backendRequest: the settings as they are, for the domain to check", () => {
  it.each<[string, { settings: Record<string, unknown>; sandbox: boolean; want: Record<string, unknown> }]>([
    [
      "defaults",
      {
        settings: { region: "us", apiVersion: "2.15", baseUrl: "", timeoutSeconds: 20 },
        sandbox: false,
        want: { region: "us", apiVersion: "2.15", timeoutMs: 20_000 },
      },
    ],
    [
      "a base URL",
      {
        settings: { region: "eu", baseUrl: "https://proxy.example" },
        sandbox: false,
        want: { region: "eu", baseUrl: "https://proxy.example" },
      },
    ],
    [
      "while the in-host sandbox runs, region and base URL do not apply",
      {
        settings: { region: "eu", baseUrl: "https://proxy.example", apiVersion: "2.16", timeoutSeconds: 5 },
        sandbox: true,
        want: { sandbox: true, apiVersion: "2.16", timeoutMs: 5000 },
      },
    ],
    [
      "odd values are passed on, to be refused by name",
      {
        settings: { region: 7, apiVersion: 2.15, timeoutSeconds: "20" },
        sandbox: false,
        want: { region: "7", apiVersion: "2.15", timeoutMs: Number.NaN },
      },
    ],
    ["nothing set", { settings: {}, sandbox: false, want: {} }],
  ])("%s", (_name, { settings, sandbox, want }) => {
    expect(backendRequest(settings, { sandbox })).toEqual(want);
  });

  it("names every setting as VS Code shows it, and the command that stores a token", () => {
    for (const key of ["region", "baseUrl", "apiVersion"] as const) {
      expect(SETTING_NAMES[key]).toBe(`the intercomKit.${key} setting`);
      expect(setting(key)).toHaveProperty("scope", "application");
    }
    expect(SETTING_NAMES.timeout).toBe("the intercomKit.timeoutSeconds setting");
    expect(SETTING_NAMES.setToken).toBe("run Intercom: Set Access Token");
  });
});

describe("the contributed settings follow the domain's tables", () => {
  it("intercomKit.apiVersion offers exactly the versions the domain accepts, and no pattern of its own", () => {
    expect(setting("apiVersion")).toMatchObject({ enum: [...API_VERSIONS], default: DEFAULT_API_VERSION });
    expect(setting("apiVersion")).not.toHaveProperty("pattern");
  });

  it("intercomKit.region offers exactly the domain's regions, described by their servers", () => {
    expect(setting("region").enum).toEqual(REGIONS.map((r) => r.id));
    expect(setting("region").enumDescriptions).toEqual(REGIONS.map((r) => `${r.label}: ${r.baseUrl}`));
  });

  it("intercomKit.timeoutSeconds: 20 s by default, application scope (a workspace cannot change it)", () => {
    expect(setting("timeoutSeconds")).toMatchObject({ type: "number", default: 20, minimum: 1, scope: "application" });
  });

  it("contributes the five commands under the Intercom category", () => {
    expect(manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`)).toEqual([
      "Intercom: Update User",
      "Intercom: Set Access Token",
      "Intercom: Clear Access Token",
      "Intercom: Start Sandbox",
      "Intercom: Show Last Result",
    ]);
  });
});
