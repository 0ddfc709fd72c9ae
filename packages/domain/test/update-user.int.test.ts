import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { createIntercomClient } from "@intercom-kit/core";
import { SEED } from "@intercom-kit/sandbox";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  applyUpdate,
  formatError,
  lookupUser,
  prepareUpdate,
  type StepEvent,
  type UpdateUserError,
  updateUser,
} from "../src/index.js";
import { fileSandbox } from "./helpers/sandbox.js";

const box = fileSandbox();

const { client } = box;

const routes = () => box.sb.requests().map((r) => `${r.method} ${r.route ?? r.path}`);

function expectError(result: Awaited<ReturnType<typeof updateUser>>): UpdateUserError {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error("expected a failure");
  expect(result.error.message).not.toContain(box.sb.token);
  expect(result.error.hint.length).toBeGreaterThan(0);
  expect(JSON.stringify(result.error)).not.toContain(box.sb.token);
  return result.error;
}

describe("updateUser against the sandbox: identify modes", () => {
  it("by Intercom ID: no lookup, the PUT and the three reads", async () => {
    const result = await updateUser(client(), { intercomId: SEED.user.id, name: "Joe Renamed" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe(SEED.user.id);
    expect(result.user.name).toBe("Joe Renamed");
    expect(result.user.user_id).toBe("25");
    expect(result.user.anonymous).toBe(false);
    expect(result.user.companies.companies.map((c) => c.name).sort()).toEqual(
      [SEED.company.name, SEED.secondCompany.name].sort(),
    );
    expect(result.user.companies.companies.map((c) => c.company_id).sort()).toEqual(["366", "6"]);
    expect(result.user.tags.tags.map((t) => t.name)).toContain("Sync");
    expect(result.user.segments.segments.map((s) => s.name).sort()).toEqual([...SEED.segmentNames].sort());
    expect(result.user.pseudonym).toBeNull();
    expect(result.user.session_count).toBeNull();
    expect(result.user.location_data.latitude).toBeNull();
    expect(result.applied).toEqual([{ step: "update", kind: "update", summary: "user updated (name)" }]);
    expect(routes().sort()).toEqual(
      [
        "PUT /contacts/:contact_id",
        "GET /contacts/:contact_id/companies",
        "GET /contacts/:contact_id/tags",
        "GET /contacts/:contact_id/segments",
      ].sort(),
    );
    expect(box.sb.state.getContact(SEED.user.id)?.name).toBe("Joe Renamed");
  });

  it("by user ID: find_by_external_id, then update; unsubscribed false is sent", async () => {
    await updateUser(client(), { userId: "25", unsubscribedFromEmails: true });
    box.sb.clearRequests();
    const result = await updateUser(client(), { userId: "25", unsubscribedFromEmails: "false" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.unsubscribed_from_emails).toBe(false);
    expect(routes()[0]).toBe("GET /contacts/find_by_external_id/:external_id");
    const put = box.sb.requests().find((r) => r.method === "PUT");
    expect(put?.body).toEqual({ unsubscribed_from_emails: false });
  });

  it("by current email: one search, users only", async () => {
    const result = await updateUser(client(), { lookupEmail: SEED.user.email, email: "joe.new@example.com" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.email).toBe("joe.new@example.com");
    expect(result.user.id).toBe(SEED.user.id);
    expect(box.sb.requests()[0]?.route).toBe("/contacts/search");
  });

  it("a lead found by Intercom ID is reported as anonymous", async () => {
    const result = await updateUser(client(), { intercomId: SEED.lead.id, name: "Lena" });
    expect(result.ok && result.user.anonymous).toBe(true);
  });

  it("custom attributes from name=value pairs, typed", async () => {
    const result = await updateUser(client(), {
      intercomId: SEED.user.id,
      customAttributes: ["plan=pro", "team_mates=3", "paid_subscriber=true"] as unknown as string,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.custom_attributes).toMatchObject({ plan: "pro", team_mates: 3, paid_subscriber: true });
  });

  it("on 2.16, follows a merged user ID to the surviving contact and says so", async () => {
    const result = await updateUser(client({ version: "2.16" }), {
      userId: SEED.merged.externalId,
      phone: "+1 555 0100",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe(SEED.merged.mergedIntoId);
    expect(result.notes.join(" ")).toContain("merged");
  });
});

describe("updateUser on an API version before 2.13", () => {
  it("resolves a user ID by search (external_id = and role = user)", async () => {
    const result = await updateUser(client({ version: "2.12" }), { userId: "25", name: "Searched" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe(SEED.user.id);
    const first = box.sb.requests()[0];
    expect(first?.route).toBe("/contacts/search");
    expect(first?.version).toBe("2.12");
    expect(first?.body).toMatchObject({
      query: { operator: "AND", value: [{ field: "external_id", value: "25" }, {}] },
    });
  });
});

describe("updateUser: merged contacts by Intercom ID", () => {
  it("on 2.16, a write to a merged Intercom ID (410 with Link) goes to the survivor once, and says so", async () => {
    const result = await updateUser(client({ version: "2.16" }), { intercomId: SEED.merged.id, name: "Survivor" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe(SEED.merged.mergedIntoId);
    expect(result.user.merged_from).toBe(SEED.merged.id);
    expect(result.notes[0]).toBe(
      `Intercom ID ${SEED.merged.id} was merged into ${SEED.merged.mergedIntoId}; the update went to ${SEED.merged.mergedIntoId}.`,
    );
    expect(box.sb.state.getContact(SEED.merged.mergedIntoId)?.name).toBe("Survivor");
  });

  it("on 2.16, prepare then apply (as a review screen does) follows the merge the same way", async () => {
    const c = client({ version: "2.16" });
    const prepared = await prepareUpdate(c, { intercomId: SEED.merged.id, name: "Reviewed Survivor" });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    const result = await applyUpdate(c, prepared.plan);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe(SEED.merged.mergedIntoId);
    expect(result.user.merged_from).toBe(SEED.merged.id);
    expect(box.sb.state.getContact(SEED.merged.mergedIntoId)?.name).toBe("Reviewed Survivor");
  });

  it("on 2.16, lookupUser of a merged Intercom ID follows it and says so", async () => {
    const found = await lookupUser(client({ version: "2.16" }), { intercomId: SEED.merged.id });
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.user.id).toBe(SEED.merged.mergedIntoId);
    expect(found.user.merged_from).toBe(SEED.merged.id);
  });

  it("on 2.15, a merged Intercom ID is not found (Intercom answers 404), and the hint mentions merges", async () => {
    const found = await lookupUser(client({ version: "2.15" }), { intercomId: SEED.merged.id });
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.error.kind).toBe("not_found");
    expect(found.error.hint).toContain("merged");
  });
});

describe("updateUser: companies", () => {
  it("attaches an existing company by its Intercom ID", async () => {
    const result = await updateUser(client(), { userId: "30", intercomCompanyId: SEED.unattachedCompany.id });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.companies.companies).toEqual([
      { type: "company", id: SEED.unattachedCompany.id, company_id: "no-users", name: "Wayne Holdings" },
    ]);
    expect(routes()).not.toContain("POST /companies");
    expect(routes()).not.toContain("PUT /contacts/:contact_id");
  });

  it("creates a company by company ID with name and spend (truncated), then attaches it", async () => {
    const result = await updateUser(client(), {
      userId: "30",
      name: "Plain User",
      companyId: "newco",
      companyName: "New Co",
      companyMonthlySpend: "155.98",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const created = box.sb.state.companies().find((c) => c.company_id === "newco");
    expect(created?.name).toBe("New Co");
    expect(created?.monthly_spend).toBe(155);
    expect(result.user.companies.companies).toEqual([
      { type: "company", id: created?.id, company_id: "newco", name: "New Co" },
    ]);
    expect(result.notes).toContain("Monthly spend 155.98 is stored as 155: Intercom keeps whole numbers only.");
    expect(result.applied.map((a) => a.step).sort()).toEqual(["attach", "company", "update"]);
    // Created first, then attached: a new company costs one round trip more, never a write before the checks.
    const order = box.sb.requests().map((r) => `${r.method} ${r.route}`);
    expect(order.indexOf("POST /companies")).toBeLessThan(order.indexOf("POST /contacts/:contact_id/companies"));
  });
});

describe("updateUser: error kinds", () => {
  it.each([
    ["user ID", { userId: "nobody-here", name: "x" }, "No user has user ID nobody-here"],
    ["Intercom ID", { intercomId: SEED.unknownId, name: "x" }, `No user has Intercom ID ${SEED.unknownId}`],
    ["current email", { lookupEmail: "nobody@example.com", name: "x" }, "No user has email nobody@example.com"],
  ])("not_found by %s, and no contact is created", async (_n, input, message) => {
    const before = box.sb.state.listContacts().length;
    const error = expectError(await updateUser(client(), input));
    expect(error.kind).toBe("not_found");
    expect(error.message).toBe(message);
    expect(box.sb.state.listContacts().length).toBe(before);
    expect(box.sb.requests().some((r) => r.method === "POST" && r.route === "/contacts")).toBe(false);
  });

  it("ambiguous when two users share the email, listing both ids", async () => {
    const error = expectError(await updateUser(client(), { lookupEmail: SEED.sharedEmail, name: "x" }));
    expect(error.kind).toBe("ambiguous");
    expect([...(error.matches ?? [])].sort()).toEqual([...SEED.sharedEmailContactIds].sort());
    expect(box.sb.requests().filter((r) => r.method === "PUT")).toHaveLength(0);
  });

  it("unauthorized with a wrong token, which is never echoed", async () => {
    const wrong = "wrong-token-value-123";
    const error = expectError(await updateUser(client({ token: wrong }), { userId: "25", name: "x" }));
    expect(error.kind).toBe("unauthorized");
    expect(error.status).toBe(401);
    expect(formatError(error)).not.toContain(wrong);
  });

  it("conflict when the new email belongs to another user, with that user's id", async () => {
    const error = expectError(await updateUser(client(), { intercomId: SEED.user.id, email: SEED.plainUser.email }));
    expect(error.kind).toBe("conflict");
    expect(error.existingContactId).toBe(SEED.plainUser.id);
    expect(box.sb.requests().some((r) => r.method === "PUT")).toBe(false);
  });

  it("rate_limited when 429s outlast the retries and the allowed wait", async () => {
    box.sb.setFaults([{ status: 429, times: 100 }]);
    const error = expectError(
      await updateUser(client({ maxRetries: 2, maxRateLimitWaitMs: 0 }), { userId: "25", name: "x" }),
    );
    expect(error.kind).toBe("rate_limited");
    expect(error.cause?.attempts).toBe(3);
  });

  it("intercom_error when 5xx outlast the retries", async () => {
    box.sb.setFaults([{ status: 503, times: 100 }]);
    const error = expectError(await updateUser(client({ maxRetries: 1 }), { userId: "25", name: "x" }));
    expect(error.kind).toBe("intercom_error");
    expect(error.status).toBe(503);
  });

  it("network when the connection is reset on every attempt", async () => {
    box.sb.setFaults([{ reset: true, times: 100, path: "/contacts/find_by_external_id/:id" }]);
    const error = expectError(await updateUser(client({ maxRetries: 1 }), { userId: "25", name: "x" }));
    expect(error.kind).toBe("network");
  });

  it("network when nothing listens on the port", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const c = createIntercomClient({ token: box.sb.token, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const error = expectError(await updateUser(c, { intercomId: SEED.user.id, name: "x" }));
    expect(error.kind).toBe("network");
  });

  it("forbidden when the server answers 403 (the sandbox has no permissions, so a one-route server does)", async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(403, { "content-type": "application/json", "x-request-id": "req-403" });
      res.end(
        JSON.stringify({
          type: "error.list",
          request_id: "req-403",
          errors: [{ code: "api_plan_restricted", message: "Active subscription needed." }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const c = createIntercomClient({
        token: "forbidden-token-x",
        baseUrl: `http://127.0.0.1:${port}`,
        maxRetries: 0,
      });
      const error = expectError(await updateUser(c, { intercomId: SEED.user.id, name: "x" }));
      expect(error.kind).toBe("forbidden");
      expect(error.codes).toEqual(["api_plan_restricted"]);
      expect(error.requestId).toBe("req-403");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("intercom_error when the body is not JSON on every attempt", async () => {
    box.sb.setFaults([{ method: "GET", path: "/contacts/find_by_external_id/:id", malformed: true, times: 100 }]);
    const error = expectError(await updateUser(client({ maxRetries: 1 }), { userId: "25", name: "x" }));
    expect(error.kind).toBe("intercom_error");
    expect(error.cause?.kind).toBe("malformed");
  });

  it("timeout when the body trickles past timeoutMs", async () => {
    box.sb.setFaults([{ slowBody: { chunkBytes: 4, intervalMs: 100 }, times: 100 }]);
    const error = expectError(await updateUser(client({ timeoutMs: 150, maxRetries: 0 }), { userId: "25", name: "x" }));
    expect(error.kind).toBe("timeout");
  });

  it("partial when attaching fails after the user was updated, saying exactly what was done", async () => {
    box.sb.setFaults([{ method: "POST", path: "/contacts/:id/companies", status: 500, times: 100 }]);
    const error = expectError(
      await updateUser(client({ maxRetries: 1 }), {
        intercomId: SEED.plainUser.id,
        name: "Half Done",
        intercomCompanyId: SEED.unattachedCompany.id,
      }),
    );
    expect(error.kind).toBe("partial");
    expect(error.failedKind).toBe("intercom_error");
    expect(error.failedStep).toBe("attach");
    expect(error.applied).toEqual([{ step: "update", kind: "update", summary: "user updated (name)" }]);
    expect(error.notApplied).toEqual(["attach"]);
    expect(error.unknown).toBeUndefined();
    expect(box.sb.state.getContact(SEED.plainUser.id)?.name).toBe("Half Done");
  });

  it("an unknown Intercom company is found before the user is changed (not partial)", async () => {
    const error = expectError(
      await updateUser(client(), { intercomId: SEED.plainUser.id, name: "N", intercomCompanyId: SEED.unknownId }),
    );
    expect(error.kind).toBe("not_found");
    expect(error.message).toContain(`no company has Intercom ID ${SEED.unknownId}`);
    expect(box.sb.requests().some((r) => r.method === "PUT")).toBe(false);
  });

  it("aborted when the signal fires mid-flight", async () => {
    box.sb.setFaults([{ latencyMs: 300 }]);
    const controller = new AbortController();
    const pending = updateUser(client(), { userId: "25", name: "x" }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = expectError(await pending);
    expect(error.kind).toBe("aborted");
    expect(error.message).toBe("Cancelled before anything was changed");
    expect(error.applied).toBeUndefined();
    expect(box.sb.requests().some((r) => r.method === "PUT")).toBe(false);
  });

  it("aborted before anything is sent when the signal is already aborted", async () => {
    const error = expectError(await updateUser(client(), { userId: "25", name: "x" }, { signal: AbortSignal.abort() }));
    expect(error.kind).toBe("aborted");
    expect(box.sb.requests()).toHaveLength(0);
  });

  it("invalid input sends nothing", async () => {
    const error = expectError(await updateUser(client(), { userId: "25", email: "not-an-email" }));
    expect(error.kind).toBe("invalid_input");
    expect(error.fieldErrors?.[0]?.label).toBe("New email");
    expect(box.sb.requests()).toHaveLength(0);
  });
});

describe("updateUser: retries that succeed", () => {
  it.each([
    ["a 500 on the PUT", { method: "PUT", status: 500 as const, times: 1 }],
    ["a 429 on the lookup", { path: "/contacts/find_by_external_id/:id", status: 429 as const, times: 2 }],
    ["a reset on the tags read", { path: "/contacts/:id/tags", reset: true, times: 1 }],
  ])("%s", async (_n, fault) => {
    box.sb.setFaults([fault]);
    const result = await updateUser(client(), { userId: "25", name: "Retried" });
    expect(result.ok).toBe(true);
    expect(box.sb.requests().some((r) => r.faults.length > 0)).toBe(true);
  });
});

describe("onStep and lookupUser", () => {
  it("reports each call as it starts and ends, with its own state", async () => {
    const events: StepEvent[] = [];
    const result = await updateUser(client(), { userId: "30", companyId: "366" }, { onStep: (e) => events.push(e) });
    expect(result.ok).toBe(true);
    const started = events.filter((e) => e.state === "started").map((e) => e.step);
    expect([...started].sort()).toEqual(["attach", "companies", "find", "find-company", "segments", "tags"].sort());
    expect(events.filter((e) => e.state === "done")).toHaveLength(started.length);
    expect(started.indexOf("attach")).toBeGreaterThan(started.indexOf("find"));
    for (const e of events) expect(e.label).toMatch(/^[A-Z]/);
    // The company exists and its name is not given: no upsert.
    expect(box.sb.requests().some((r) => r.method === "POST" && r.route === "/companies")).toBe(false);
  });

  it("lookupUser reads without writing; the prepared plan diffs against the user", async () => {
    const found = await lookupUser(client(), { userId: "25" });
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(box.sb.requests().every((r) => r.method === "GET")).toBe(true);
    expect(found.user.name).toBe(SEED.user.name);
    box.sb.clearRequests();
    const prepared = await prepareUpdate(
      client(),
      { userId: "25", name: "New", companyId: "366", companyName: "Serenity 2" },
      { contact: found.contact },
    );
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    // The contact was passed in: no second find.
    expect(box.sb.requests().map((r) => r.route)).toEqual(["/companies"]);
    expect(prepared.plan.changes.map(({ key, current, next, changed }) => ({ key, current, next, changed }))).toEqual([
      { key: "name", current: SEED.user.name, next: "New", changed: true },
      { key: "companyId", current: "366", next: "366", changed: false },
      { key: "companyName", current: "Serenity", next: "Serenity 2", changed: true },
    ]);
  });

  it("lookupUser by an unknown Intercom ID is not_found", async () => {
    const found = await lookupUser(client(), { intercomId: SEED.unknownId });
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.error.kind).toBe("not_found");
  });

  it("result types narrow", async () => {
    const result = await updateUser(client(), { intercomId: SEED.user.id, name: "T" });
    if (result.ok) {
      expectTypeOf(result.user.companies.companies).items.toHaveProperty("company_id");
      // @ts-expect-error no error on a success
      result.error;
    } else {
      expectTypeOf(result.error.kind).toEqualTypeOf<
        | "invalid_input"
        | "not_found"
        | "ambiguous"
        | "unauthorized"
        | "forbidden"
        | "conflict"
        | "rate_limited"
        | "intercom_error"
        | "network"
        | "timeout"
        | "partial"
        | "unknown"
        | "stale"
        | "aborted"
      >();
    }
    expect(result.ok).toBe(true);
  });
});
