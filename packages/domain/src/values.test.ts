import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ownerIdForVersion, parseTime, sameEmail, showTime, storedSpend, versionAtLeast } from "./values.js";

describe("parseTime", () => {
  it.each([
    ["1714555800", 1714555800],
    [1714555800, 1714555800],
    ["2024-05-01T09:30:00Z", 1714555800],
    ["2024-05-01T09:30:00.123Z", 1714555800],
    ["2024-05-01T11:30:00+02:00", 1714555800],
    ["2024-05-01T11:30:00+0200", 1714555800],
    ["2024-05-01 09:30", 1714555800],
    ["2024-05-01", 1714521600],
  ] as const)("%s", (given, want) => {
    expect(parseTime(given)).toBe(want);
  });
  it.each(["yesterday", "2024-02-30", "2024-13-01", "-5", "1.5", "", "2024-05-01T25:00:00Z"])("refuses %s", (given) => {
    expect(parseTime(given)).toBeUndefined();
  });
  it("reads back what showTime prints (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800 }),
        (s) => parseTime(showTime(s).split(" ")[0] as string) === s,
      ),
    );
  });
});

describe("small rules", () => {
  it("spend is stored as a whole number", () => {
    expect(storedSpend(155.98)).toBe(155);
  });
  it("emails compare case-insensitively", () => {
    expect(sameEmail("Joe@Example.com", "joe@example.com")).toBe(true);
    expect(sameEmail(null, "a@b.co")).toBe(false);
  });
  it("owner_id is a number up to 2.15 and a string from 2.16", () => {
    expect(ownerIdForVersion("42", "2.15")).toBe(42);
    expect(ownerIdForVersion("42", "2.16")).toBe("42");
    expect(ownerIdForVersion("42", "Preview")).toBe("42");
  });
  it("versions compare numerically", () => {
    expect(versionAtLeast("2.16", "2.16")).toBe(true);
    expect(versionAtLeast("2.9", "2.13")).toBe(false);
    expect(versionAtLeast("2.15", "2.16")).toBe(false);
  });
});
