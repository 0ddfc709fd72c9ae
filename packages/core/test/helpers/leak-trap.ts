import { inspect } from "node:util";
import { expect } from "vitest";

/** Collects everything the client gave back (results, events, thrown errors) and proves the token is in none of it. */
export function leakTrap(token: string) {
  const seen: unknown[] = [];
  return {
    add<T>(value: T): T {
      seen.push(value);
      return value;
    },
    count: () => seen.length,
    assertClean(): void {
      for (const value of seen) {
        const renderings = [
          inspect(value, { depth: 10, showHidden: true, getters: true }),
          inspect(value, { depth: 10, showHidden: true, customInspect: false }),
          JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ?? "",
          String(value),
        ];
        if (value instanceof Error) renderings.push(value.message, value.stack ?? "");
        for (const text of renderings) expect(text).not.toContain(token);
      }
    },
  };
}
