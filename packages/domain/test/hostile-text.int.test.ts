/**
 * Issue 10, fuzz: control characters in identifiers and values, over real HTTP to the sandbox. Whatever a person or
 * a file hands over (terminal escapes, NUL, DEL, C1 controls, bidi overrides, line separators, BOMs, `/ ? # %`):
 * never a throw; the identifier reaches Intercom as exactly one path segment holding exactly that identifier; what
 * is stored is exactly what was given (data is not changed); and every sentence the text helpers make for a
 * terminal or a notification shows those characters as escapes, never raw.
 * (`test/properties.test.ts` proves the same never-a-throw for identifiers against a recording fetch.)
 */
import { createIntercomClient } from "@intercom-kit/core";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  errorMessage,
  formatError,
  formatUserText,
  outcomeLine,
  planText,
  prepareUpdate,
  type RawUpdateUserInput,
  updateUser,
  validateUpdateUserInput,
} from "../src/index.js";

/** What escapeControl promises to escape (text.ts): C0, DEL, C1, bidi marks, overrides and isolates, LS/PS, BOM. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/;

const hostileChar = fc.constantFrom(
  "a",
  "Z",
  "7",
  " ",
  "é",
  "😀",
  "/",
  ".",
  "%",
  "?",
  "#",
  "[",
  "\u0000",
  "\u0007",
  "\u0008",
  "\t",
  "\n",
  "\r",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009b",
  "\u200e",
  "\u202e",
  "\u2028",
  "\u2066",
  "\ufeff",
);
/** Mostly hostile text, always with at least one ordinary character (blank text means "not given"). */
const hostile = fc
  .tuple(fc.array(hostileChar, { maxLength: 10 }), fc.constantFrom("a", "b", "x9"), fc.nat())
  .map(([chars, plain, at]) => {
    const i = at % (chars.length + 1);
    return [...chars.slice(0, i), plain, ...chars.slice(i)].join("");
  });

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb?.stop();
});

function expectNoRawControl(texts: string[]): void {
  for (const text of texts) {
    for (const line of text.split("\n")) expect(line, JSON.stringify(line)).not.toMatch(RAW_CONTROL);
  }
}

/** The same value with every control character (line breaks included) in every string replaced by "_". */
function tame<T>(value: T): T {
  if (typeof value === "string") return value.replace(new RegExp(`${RAW_CONTROL.source}|\n`, "g"), "_") as T;
  if (Array.isArray(value)) return value.map(tame) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tame(v)])) as T;
  return value;
}

/** A line break inside a value would add a line: the text has as many lines as with tame values. */
function expectSameLines<T>(render: (v: T) => string | string[], value: T): void {
  const lines = (v: T) => [render(v)].flat().join("\n").split("\n").length;
  expect(lines(value)).toBe(lines(tame(value)));
}

describe("control characters in identifiers and values", () => {
  it("as the user ID: a value, never a throw; one path segment holding exactly the ID; every sentence escaped", async () => {
    const client = createIntercomClient({ token: sb.token, baseUrl: sb.url, maxDelayMs: 5, maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(hostile, async (userId) => {
        sb.reset();
        const raw: RawUpdateUserInput = { userId, name: "Never Stored" };
        const checked = validateUpdateUserInput(raw);
        const result = await updateUser(client, raw);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expectNoRawControl([formatError(result.error), errorMessage(result.error)]);
        expectSameLines(formatError, result.error);
        expect(errorMessage(result.error)).not.toContain("\n");
        if (!checked.ok) {
          expect(result.error.kind).toBe("invalid_input");
          expect(sb.requests()).toEqual([]);
          return;
        }
        expect(result.error.kind).toBe("not_found");
        const [find] = sb.requests();
        const segments = (find?.path ?? "").split("/").slice(1);
        expect(segments.slice(0, 2)).toEqual(["contacts", "find_by_external_id"]);
        expect(segments).toHaveLength(3);
        expect(decodeURIComponent(segments[2] ?? "")).toBe(checked.input.userId);
        expect(sb.state.getContact(SEED.user.id)?.name).toBe(SEED.user.name);
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it("in every value written (name, company, tag, attribute): stored exactly, shown escaped, planned escaped", async () => {
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ name: hostile, companyId: hostile, companyName: hostile, tag: hostile, title: hostile }),
        async (v) => {
          sb.reset();
          // A new client each time: a client caches the workspace's tags, and reset() gives their ids to new tags.
          const client = createIntercomClient({ token: sb.token, baseUrl: sb.url, maxDelayMs: 5, maxRetries: 0 });
          const raw: RawUpdateUserInput = {
            userId: "25",
            name: v.name,
            companyId: v.companyId,
            companyName: v.companyName,
            tags: [v.tag],
            customAttributes: { [SEED.dataAttributes.string]: v.title },
          };
          const checked = validateUpdateUserInput(raw);
          const prepared = await prepareUpdate(client, raw);
          if (prepared.ok) {
            expectNoRawControl(planText(prepared.plan));
            expectSameLines(planText, prepared.plan);
          }
          const result = await updateUser(client, raw);
          if (!result.ok) {
            expectNoRawControl([formatError(result.error), errorMessage(result.error)]);
            expectSameLines(formatError, result.error);
            return;
          }
          applied++;
          expectNoRawControl([outcomeLine(result), formatUserText(result.user)]);
          expect(outcomeLine(result)).not.toContain("\n");
          expectSameLines(formatUserText, result.user);
          expect(checked.ok).toBe(true);
          if (!checked.ok) return;
          const input = checked.input;
          // Stored exactly as given (after the trim validation does), and the record says the same.
          const contact = sb.state.getContact(SEED.user.id) as Record<string, unknown>;
          expect(contact.name).toBe(input.name);
          expect(result.user.name).toBe(input.name);
          expect((contact.custom_attributes as Record<string, unknown>)[SEED.dataAttributes.string]).toBe(
            input.customAttributes?.[SEED.dataAttributes.string],
          );
          const company = sb.state.findCompanyByCompanyId(input.companyId as string);
          expect(company?.name).toBe(input.companyName);
          expect(sb.state.companiesOf(SEED.user.id).map((c) => c.company_id)).toContain(input.companyId);
          const tag = input.tags?.[0] as string;
          expect(sb.state.tagsOf(SEED.user.id).some((t) => String(t.name).toLowerCase() === tag.toLowerCase())).toBe(
            true,
          );
        },
      ),
      { numRuns: 50 },
    );
    // Most generated values must really be written, or the checks above would rarely run.
    expect(applied).toBeGreaterThan(25);
  }, 120_000);
});
