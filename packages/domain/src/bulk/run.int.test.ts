/**
 * updateUsers against the sandbox over real HTTP: stop vs skip, faults (5xx, 429 bursts), one company upsert per
 * distinct company, and pacing at concurrency (virtual time, so many 10-second windows pass in milliseconds).
 */
import { createIntercomClient, type IntercomClientOptions } from "@intercom-kit/core";
import { type Sandbox, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bulkContactId, bulkSandboxData, virtualClock } from "../../test/bulk-fixtures.js";
import { parseBulkInput } from "./input.js";
import { memoryJournal } from "./journal.js";
import { type BulkProgress, type BulkRowResult, updateUsers } from "./run.js";

const N = 120;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ data: bulkSandboxData(N) });
});
afterAll(async () => {
  await sb?.stop();
});
afterEach(() => {
  sb.setFaults([]);
  sb.clearRequests();
});

function client(over: Partial<IntercomClientOptions> = {}) {
  return createIntercomClient({ token: sb.token, baseUrl: sb.url, maxDelayMs: 5, ...over });
}

async function collect(it: AsyncIterable<BulkRowResult>): Promise<BulkRowResult[]> {
  const out: BulkRowResult[] = [];
  for await (const r of it) out.push(r);
  return out;
}

function csv(lines: string[]): string {
  return `${lines.join("\r\n")}\r\n`;
}

function parsed(text: string) {
  const p = parseBulkInput(text);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.rows;
}

const nameOf = (i: number) => sb.state.getContact(bulkContactId(i))?.name;

describe("updateUsers against the sandbox", () => {
  it("an invalid row stops the run before anything is sent; --skip-invalid applies the rest", async () => {
    const rows = parsed(
      csv([
        "intercom-id,name,new-email",
        `${bulkContactId(1)},Stop One,`,
        `${bulkContactId(2)},,not-an-email`,
        `${bulkContactId(3)},Stop Three,`,
      ]),
    );
    const stopped = await collect(updateUsers(client(), rows, {}));
    expect(sb.requests()).toHaveLength(0);
    expect(stopped.find((r) => r.row === 2)?.result).toMatchObject({
      skipped: "invalid",
      errors: [{ field: "email" }],
    });
    expect(nameOf(1)).not.toBe("Stop One");

    const skipped = await collect(updateUsers(client(), rows, { skipInvalid: true }));
    expect(skipped.map((r) => [r.row, r.status]).sort()).toEqual([
      [1, "applied"],
      [2, "skipped"],
      [3, "applied"],
    ]);
    expect([nameOf(1), nameOf(3)]).toEqual(["Stop One", "Stop Three"]);
  });

  it("with 5xx and bursts of 429 injected, every row ends applied and no 429 reaches a row", async () => {
    sb.setFaults(
      [
        { status: 503, probability: 0.15 },
        { method: "PUT", path: "/contacts/:id", status: 429, times: 6 },
        { path: "/contacts/:id/tags", status: 500, probability: 0.2 },
      ],
      7,
    );
    const rows = Array.from({ length: 40 }, (_, k) => ({ intercomId: bulkContactId(k + 1), name: `Faulty ${k + 1}` }));
    const c = client({ maxRetries: 6 });
    const results = await collect(updateUsers(c, rows, { concurrency: 8 }));
    const failed = results.filter((r) => r.status !== "applied");
    expect(failed.map((r) => JSON.stringify(r.result))).toEqual([]);
    for (let i = 1; i <= 40; i++) expect(nameOf(i)).toBe(`Faulty ${i}`);
    const log = sb.requests();
    expect(log.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(6);
    expect(log.filter((r) => r.status >= 500).length).toBeGreaterThan(0);
    expect(c.stats().rateLimited).toBeGreaterThanOrEqual(6);
  });

  it("upserts each distinct company once across the run, and attaches every user", async () => {
    const header = "intercom-id,name,company-id,company-name,company-monthly-spend";
    const companies = [
      ["acme-bulk", "Acme", "100"],
      ["globex-bulk", "Globex", "200"],
      ["acme-bulk", "Acme", "150"], // same company_id, other spend: a distinct body, upserted on its own
    ];
    const lines = [header];
    for (let i = 1; i <= 30; i++) {
      const [id, name, spend] = companies[i % 3] as [string, string, string];
      lines.push(`${bulkContactId(i)},Co ${i},${id},${name},${spend}`);
    }
    const progress: BulkProgress[] = [];
    const results = await collect(
      updateUsers(client(), parsed(csv(lines)), { concurrency: 8, onProgress: (p) => progress.push(p) }),
    );
    expect(results.filter((r) => r.status !== "applied").map((r) => r.result)).toEqual([]);
    const upserts = sb.requests().filter((r) => r.method === "POST" && r.route === "/companies");
    expect(upserts).toHaveLength(3);
    // Each company is read once for the run, not once per row.
    expect(sb.requests().filter((r) => r.method === "GET" && r.route === "/companies")).toHaveLength(2);
    expect(progress.at(-1)?.applied).toBe(30);
    const attaches = sb.requests().filter((r) => r.route === "/contacts/:contact_id/companies" && r.method === "POST");
    expect(attaches).toHaveLength(30);
    for (let i = 1; i <= 30; i++) {
      const names = sb.state.companiesOf(bulkContactId(i)).map((co) => co.company_id);
      expect(names).toContain(i % 3 === 1 ? "globex-bulk" : "acme-bulk");
    }
  });

  it("records every row in the journal, and a second run with it sends nothing", async () => {
    const journal = memoryJournal();
    const rows = Array.from({ length: 10 }, (_, k) => ({ intercomId: bulkContactId(50 + k), name: `J ${k}` }));
    await collect(updateUsers(client(), rows, { journal }));
    expect(journal.entries().filter((e) => e.status === "applied")).toHaveLength(10);
    expect(journal.entries().find((e) => e.status === "applied")?.contactId).toMatch(/^b0b0/);
    sb.clearRequests();
    const again = await collect(updateUsers(client(), rows, { journal }));
    expect(sb.requests()).toHaveLength(0);
    expect(again.every((r) => "skipped" in r.result && r.result.skipped === "already_applied")).toBe(true);
  });
});

describe("pacing at concurrency (virtual time)", () => {
  let paced: Sandbox;
  const clock = virtualClock(Date.UTC(2026, 0, 1, 0, 0, 3));
  beforeAll(async () => {
    // 600/min = 100 calls per 10-second window.
    paced = await startSandbox({ data: bulkSandboxData(N), rateLimitPerMinute: 600, now: clock.now });
  });
  afterAll(async () => {
    await paced?.stop();
  });

  it.each([8, 32])(
    "at concurrency %i: stays under the limit without 429s, using nearly all of every full window",
    async (concurrency) => {
      paced.clearRequests();
      const c = createIntercomClient({ token: paced.token, baseUrl: paced.url, clock, random: () => 0.5 });
      const rows = Array.from({ length: N }, (_, k) => ({
        intercomId: bulkContactId(k + 1),
        name: `Paced ${k + 1} ${concurrency}`,
      }));
      // The full record (three reads per row) makes enough calls to span several windows.
      const results = await collect(updateUsers(c, rows, { concurrency, output: "full" }));
      expect(results.filter((r) => r.status !== "applied")).toEqual([]);
      const log = paced.requests();
      expect(log.filter((r) => r.status === 429)).toEqual([]);
      expect(log.length).toBe(N * 4); // PUT + companies, tags, segments per row
      const perWindow = new Map<number, number>();
      for (const r of log)
        perWindow.set(Math.floor(r.at / 10_000), (perWindow.get(Math.floor(r.at / 10_000)) ?? 0) + 1);
      const counts = [...perWindow.entries()].sort(([a], [b]) => a - b).map(([, n]) => n);
      expect(counts.length).toBeGreaterThanOrEqual(5);
      for (const n of counts) expect(n).toBeLessThanOrEqual(100);
      // Every full window (not the first, which the previous run may have shared, nor the last, the run's tail) is
      // used nearly fully.
      expect(counts.length - 2).toBeGreaterThanOrEqual(3);
      for (const n of counts.slice(1, -1)) expect(n).toBeGreaterThanOrEqual(95);
      expect(c.stats().pacedWaits).toBeGreaterThan(0);
    },
  );
});
