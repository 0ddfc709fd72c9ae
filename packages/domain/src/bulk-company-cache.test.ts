import type { Company, CompanyUpsertBody, IntercomClient, IntercomResult } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import { withCompanyCache } from "./bulk-company-cache.js";

type Answer = "ok" | "fail";

function clientAnswering(answers: Answer[]) {
  const sent: CompanyUpsertBody[] = [];
  const client = {
    baseUrl: "http://127.0.0.1:1",
    version: "2.15",
    rateLimit: () => ({ limit: null, remaining: null, resetAt: null }),
    stats: () => ({ requests: sent.length, retries: 0, rateLimited: 0, pacedWaits: 0 }),
    async createOrUpdateCompany(body: CompanyUpsertBody): Promise<IntercomResult<Company>> {
      sent.push(body);
      const answer = answers.shift() ?? "ok";
      await new Promise((r) => setTimeout(r, 5));
      if (answer === "fail") {
        return {
          ok: false,
          error: {
            kind: "network",
            cause: "ECONNRESET",
            message: "reset",
            method: "POST",
            path: "/companies",
            attempts: 3,
            retries: 2,
          },
        };
      }
      const data = { type: "company", id: `co-${sent.length}`, company_id: body.company_id } as unknown as Company;
      return {
        ok: true,
        data,
        status: 200,
        requestId: null,
        rateLimit: { limit: null, remaining: null, resetAt: null },
        attempts: 1,
      };
    },
  } as unknown as IntercomClient;
  return { client, sent };
}

describe("withCompanyCache", () => {
  it("sends one upsert per distinct body, however many rows ask at once, whatever the key order", async () => {
    const { client, sent } = clientAnswering([]);
    const cached = withCompanyCache(client);
    const bodies: CompanyUpsertBody[] = [
      { company_id: "a", name: "A", monthly_spend: 10 },
      { name: "A", monthly_spend: 10, company_id: "a" },
      { company_id: "a", name: "A", monthly_spend: 11 },
      { company_id: "b", name: "B" },
    ];
    const results = await Promise.all([...bodies, ...bodies].map((b) => cached.createOrUpdateCompany(b)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sent).toHaveLength(3);
    expect(cached.companyCacheStats()).toEqual({ sent: 3, shared: 5 });
    const again = await cached.createOrUpdateCompany({ company_id: "b", name: "B" });
    expect(again.ok && again.data.id).toBe(results[3]?.ok && results[3].data.id);
    expect(sent).toHaveLength(3);
  });

  it("does not cache a failure: joiners try once more together, later rows start afresh", async () => {
    const { client, sent } = clientAnswering(["fail", "ok"]);
    const cached = withCompanyCache(client);
    const body = { company_id: "a", name: "A" };
    const [first, second, third] = await Promise.all([
      cached.createOrUpdateCompany(body),
      cached.createOrUpdateCompany(body),
      cached.createOrUpdateCompany(body),
    ]);
    expect(first?.ok).toBe(false);
    expect(second?.ok).toBe(true);
    expect(third?.ok).toBe(true);
    expect(sent).toHaveLength(2);
  });

  it("passes everything else through to the client", () => {
    const { client } = clientAnswering([]);
    const cached = withCompanyCache(client);
    expect(cached.baseUrl).toBe(client.baseUrl);
    expect(cached.stats()).toEqual(client.stats());
  });
});
