import { FIELDS, type FieldSpec, identifyFields } from "@intercom-kit/domain";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureBuilt, type Running, routes, startServer, tempHome } from "./harness.js";

// The built server as a child process, spoken to by the SDK's own client over stdio, pointed at a sandbox this test
// started (so it can change users behind the server's back, inject faults and read the request log).
let sandbox: Sandbox;
let server: Running;
let home: Awaited<ReturnType<typeof tempHome>>;
let clock = Date.now();
/** Called after each response the sandbox sends normally; a test arms it to change faults mid-apply. */
let afterResponse: (method: string, path: string, status: number) => void = () => {};

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox({
    now: () => clock,
    onResponse: (method, path, status) => afterResponse(method, path, status),
  });
  home = await tempHome();
  server = await startServer({ home: home.dir, sandbox });
});
afterAll(async () => {
  await server?.close();
  await sandbox?.stop();
  await home?.remove();
});
beforeEach(() => {
  sandbox.reset();
  sandbox.setFaults([]);
  afterResponse = () => {};
  clock += 10_000;
});

const stored = (id: string = SEED.user.id) => sandbox.state.getContact(id) as Record<string, unknown>;
const writes = () => routes(sandbox).filter((r) => !r.startsWith("GET") && !r.endsWith("/search"));

/** Changes a user the way another person or system would, a little later. */
async function changeElsewhere(id: string, body: Record<string, unknown>): Promise<void> {
  clock += 60_000;
  const res = await fetch(`${sandbox.url}/contacts/${id}`, {
    method: "PUT",
    headers: {
      Authorization: `Bearer ${sandbox.token}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

async function plan(args: Record<string, unknown>) {
  const r = await server.call("plan_user_update", args);
  expect(r.result.isError, r.text).toBeFalsy();
  expect(r.data.plan_id).toMatch(/^plan_/);
  return r;
}

describe("tools/list", () => {
  it("lists the three tools with annotations that fit what they do", async () => {
    const { tools } = await server.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()]).toEqual(["find_user", "plan_user_update", "apply_user_update"]);
    const reads = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
    expect(byName.get("find_user")?.annotations).toEqual(reads);
    expect(byName.get("plan_user_update")?.annotations).toEqual(reads);
    expect(byName.get("apply_user_update")?.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    });
    for (const tool of tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.outputSchema?.type).toBe("object");
      expect(tool.inputSchema.additionalProperties).toBe(false);
    }
  });

  const kindTypes: Record<FieldSpec["kind"], unknown> = {
    text: "string",
    hidden: "string",
    email: "string",
    url: "string",
    choice: "string",
    number: "number",
    time: ["string", "integer"],
    flag: "boolean",
    names: "array",
    attributes: "object",
  };

  it.each(FIELDS.map((f) => [f.key, f] as const))(
    "plan_user_update's schema has %s from FIELDS",
    async (_key, field) => {
      const { tools } = await server.client.listTools();
      const schema = tools.find((t) => t.name === "plan_user_update")?.inputSchema;
      const prop = schema?.properties?.[field.key] as Record<string, unknown> | undefined;
      expect(prop).toBeDefined();
      const description = String(prop?.description);
      expect(description.startsWith(`${field.label}. `)).toBe(true);
      expect(description).toContain(field.hint);
      for (const rule of field.rules) expect(description).toContain(rule);
      expect(prop?.type).toEqual(kindTypes[field.kind]);
      if (field.kind === "choice") {
        expect(prop?.enum).toEqual((field.choices ?? []).map((c) => c.value).filter((v) => v !== ""));
      }
      if (field.kind === "names") expect(prop?.items).toEqual({ type: "string" });
      if (field.kind === "attributes") {
        expect(prop?.additionalProperties).toEqual({ type: ["string", "number", "boolean"] });
      }
    },
  );

  it("find_user takes the identify fields only; apply_user_update takes a plan_id", async () => {
    const { tools } = await server.client.listTools();
    const find = tools.find((t) => t.name === "find_user")?.inputSchema;
    expect(Object.keys(find?.properties ?? {})).toEqual(identifyFields.map((f) => f.key));
    const apply = tools.find((t) => t.name === "apply_user_update")?.inputSchema;
    expect(Object.keys(apply?.properties ?? {})).toEqual(["plan_id"]);
    expect(apply?.required).toEqual(["plan_id"]);
    const planSchema = tools.find((t) => t.name === "plan_user_update")?.inputSchema;
    expect(Object.keys(planSchema?.properties ?? {})).toEqual([
      ...FIELDS.map((f) => f.key),
      "createMissingAttributes",
      "attributeTypes",
    ]);
  });

  it("says in its instructions which back end it reaches and how plans work", () => {
    const text = server.client.getInstructions() ?? "";
    expect(text).toContain(`Custom server ${sandbox.url}`);
    expect(text).toContain("plan_id");
    expect(text).toContain("15 minutes");
  });
});

describe("find_user", () => {
  it.each([
    ["userId", { userId: SEED.user.externalId }],
    ["userId as a number", { userId: 25 }],
    ["intercomId", { intercomId: SEED.user.id }],
    ["lookupEmail", { lookupEmail: SEED.user.email }],
  ])("finds the user by %s, with the whole record, and names the back end", async (_mode, args) => {
    const r = await server.call("find_user", args);
    expect(r.result.isError, r.text).toBeFalsy();
    expect(r.data.ok).toBe(true);
    expect(r.data.user.id).toBe(SEED.user.id);
    expect(r.data.user.user_id).toBe("25");
    expect(r.data.user.name).toBe(SEED.user.name);
    expect(r.data.user.companies.companies.map((c: { name: string }) => c.name).sort()).toEqual(
      [SEED.company.name, SEED.secondCompany.name].sort(),
    );
    expect(r.data.backend).toEqual({
      kind: "custom",
      label: `Custom server ${sandbox.url}`,
      baseUrl: sandbox.url,
      apiVersion: "2.15",
      tokenSource: "INTERCOM_ACCESS_TOKEN",
    });
    expect(r.text).toContain(`Found ${SEED.user.name} <${SEED.user.email}>.`);
    expect(r.text).toMatch(/Name\s+Joe Example/);
    expect(writes()).toEqual([]);
  });

  it("an email several users share answers with the candidates to choose from", async () => {
    const r = await server.call("find_user", { lookupEmail: SEED.sharedEmail });
    expect(r.result.isError).toBe(true);
    expect(r.data.error.kind).toBe("ambiguous");
    expect(r.data.error.candidates.map((c: { id: string }) => c.id).sort()).toEqual(
      [...SEED.sharedEmailContactIds].sort(),
    );
    for (const c of r.data.error.candidates) {
      expect(Object.keys(c).sort()).toEqual(["email", "id", "name", "role", "userId"]);
      expect(c.email).toBe(SEED.sharedEmail);
    }
    expect(r.text).toContain("Error (ambiguous)");
    for (const id of SEED.sharedEmailContactIds) expect(r.text).toContain(`Candidate: ${id}`);
  });

  it("an unknown user is not_found, never created", async () => {
    const r = await server.call("find_user", { userId: "nobody-has-this" });
    expect(r.result.isError).toBe(true);
    expect(r.data.error.kind).toBe("not_found");
    expect(r.data.error.message).toBe("No user has user ID nobody-has-this");
    expect(r.data.error.hint).toMatch(/never creates users/);
    expect(r.text).toContain("Error (not_found): No user has user ID nobody-has-this.");
    expect(sandbox.state.listContacts().length).toBe(sandbox.state.listContacts().length);
  });

  it.each([
    ["no identifier", {}, "give exactly one of User ID, Intercom ID or Current email"],
    ["two identifiers", { userId: "25", intercomId: SEED.user.id }, "give only one of"],
    ["a broken email", { lookupEmail: "joe@" }, "must be a valid email address"],
    ["a field that does not find anyone", { userId: "25", name: "x" }, 'unknown field "name"'],
  ])("invalid input (%s) is refused by the domain's rules, and nothing is sent", async (_what, args, message) => {
    const r = await server.call("find_user", args);
    expect(r.result.isError).toBe(true);
    expect(r.data.error.kind).toBe("invalid_input");
    expect(r.data.error.problems.map((p: { message: string }) => p.message).join("\n")).toContain(message);
    expect(r.data.error.hint).toBe("Fix the fields named and try again; nothing was sent to Intercom");
    expect(sandbox.requests()).toEqual([]);
  });
});

describe("plan_user_update, then apply_user_update", () => {
  it("plans without writing: current -> new, the calls with their bodies, a plan_id", async () => {
    const r = await plan({
      userId: "25",
      name: "Joe Renamed",
      email: "joe.renamed@example.com",
      unsubscribedFromEmails: false,
    });
    expect(writes()).toEqual([]);
    expect(stored().name).toBe(SEED.user.name);
    expect(r.data.changes).toEqual([
      { key: "name", label: "Name", current: "Joe Example", next: "Joe Renamed", changed: true },
      { key: "email", label: "New email", current: "joe@example.com", next: "joe.renamed@example.com", changed: true },
      expect.objectContaining({ key: "unsubscribedFromEmails", changed: false }),
    ]);
    const put = r.data.calls.find((c: { method: string }) => c.method === "PUT");
    expect(put).toMatchObject({
      phase: "write",
      path: `/contacts/${SEED.user.id}`,
      body: { name: "Joe Renamed", email: "joe.renamed@example.com" },
    });
    expect(put.purpose).toContain("update the user's fields");
    expect(r.data.reads_made.map((c: { kind: string }) => c.kind).sort()).toEqual(["check-email", "find"]);
    expect(r.data.user).toEqual({ id: SEED.user.id, user_id: "25", email: SEED.user.email, name: SEED.user.name });
    expect(r.data.unchanged).toBe(false);
    expect(Date.parse(r.data.expires_at) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(r.text).toContain(`Plan ${r.data.plan_id} (expires ${r.data.expires_at}): nothing has been written.`);
    expect(r.text).toMatch(/\n {2}Name +Joe Example -> Joe Renamed\n/);
    expect(r.text).toContain(`PUT    /contacts/${SEED.user.id}`);
  });

  it("applies exactly the plan, once; a second apply is refused and sends nothing", async () => {
    const planned = await plan({ userId: "25", name: "Joe Renamed", tags: ["VIP"] });
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.result.isError, r.text).toBeFalsy();
    expect(r.data.outcome).toBe("applied");
    expect(r.data.plan_id).toBe(planned.data.plan_id);
    expect(r.data.user.name).toBe("Joe Renamed");
    expect(r.data.user.tags.tags.map((t: { name: string }) => t.name).sort()).toEqual(["Sync", "VIP"]);
    expect(r.data.applied.map((a: { summary: string }) => a.summary)).toEqual(["user updated (name)", "tag VIP added"]);
    expect(stored().name).toBe("Joe Renamed");
    expect(sandbox.state.tagsOf(SEED.user.id).map((t) => t.name)).toContain("VIP");
    expect(r.text).toContain("Updated Joe Renamed <joe@example.com>: user updated (name), tag VIP added.");

    sandbox.clearRequests();
    const again = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(again.result.isError).toBe(true);
    expect(again.data.error.kind).toBe("plan_already_applied");
    expect(again.data.error.message).toBe(
      `Plan ${planned.data.plan_id} was already applied (outcome: applied); a plan is applied at most once, so nothing was written now`,
    );
    expect(again.data.outcome).toBe("not_applied");
    expect(sandbox.requests()).toEqual([]);
  });

  it("a plan that changes nothing applies as unchanged, writing nothing", async () => {
    const planned = await plan({ userId: "25", name: SEED.user.name });
    expect(planned.data.unchanged).toBe(true);
    expect(planned.text).toContain("the user already has every value given; applying it writes nothing");
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.data.outcome).toBe("unchanged");
    expect(r.result.isError).toBeFalsy();
    expect(writes()).toEqual([]);
    expect(r.text).toContain("Nothing to change");
  });

  it("by Intercom ID the plan still reads the user, to show current values and notice later changes", async () => {
    const planned = await plan({ intercomId: SEED.user.id, phone: "+353 1 555 0199" });
    expect(planned.data.changes[0]).toMatchObject({ key: "phone", current: "555671243", changed: true });
    await changeElsewhere(SEED.user.id, { name: "Someone Else Changed Me" });
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.data.error.kind).toBe("stale");
  });

  it("a company by Company ID is read first, then attached", async () => {
    const planned = await plan({ userId: "25", companyId: SEED.unattachedCompany.companyId });
    expect(planned.data.reads_made.map((c: { kind: string }) => c.kind)).toContain("find-company");
    expect(planned.data.calls.map((c: { kind: string }) => c.kind)).toContain("attach");
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.data.outcome).toBe("applied");
    expect(sandbox.state.companiesOf(SEED.user.id).map((c) => c.company_id)).toContain(
      SEED.unattachedCompany.companyId,
    );
  });

  it("notes say what a person would want to know: a truncated spend, a company created without a name", async () => {
    const planned = await plan({ userId: "25", companyId: "brand-new", companyMonthlySpend: 155.98 });
    expect(planned.data.notes).toEqual([
      "Monthly spend 155.98 is stored as 155: Intercom keeps whole numbers only.",
      "Company ID brand-new is new: the company is created without a name (give Company name to name it).",
    ]);
    expect(planned.data.calls.find((c: { kind: string }) => c.kind === "company").body).toEqual({
      company_id: "brand-new",
      monthly_spend: 155,
    });
    expect(planned.text).toContain("Note: Monthly spend 155.98 is stored as 155");
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.data.outcome).toBe("applied");
    expect(sandbox.state.findCompanyByCompanyId("brand-new")?.monthly_spend).toBe(155);
  });

  it("createMissingAttributes plans the attributes' creation first, typed by attributeTypes", async () => {
    const planned = await plan({
      userId: "25",
      customAttributes: { favourite_colour: "teal", seats: "3" },
      attributeTypes: { seats: "integer" },
      createMissingAttributes: true,
    });
    const creates = planned.data.calls.filter((c: { kind: string }) => c.kind === "create-attribute");
    expect(creates.map((c: { body: unknown }) => c.body)).toEqual([
      { name: "favourite_colour", model: "contact", data_type: "string" },
      { name: "seats", model: "contact", data_type: "integer" },
    ]);
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.data.outcome).toBe("applied");
    expect(r.data.user.custom_attributes).toMatchObject({ favourite_colour: "teal", seats: 3 });
    const refused = await server.call("plan_user_update", { userId: "25", createMissingAttributes: "yes", name: "x" });
    expect(refused.data.error.problems).toEqual([
      { kind: "invalid_input", field: "input", label: "createMissingAttributes", message: "must be true or false" },
    ]);
  });

  it("on API 2.16 a merged user is followed, and the plan says so before anything is written", async () => {
    const v216 = await startServer({ home: home.dir, sandbox, args: ["--api-version", "2.16"] });
    try {
      const planned = await v216.call("plan_user_update", { userId: SEED.merged.externalId, name: "Joe Merged" });
      expect(planned.data.backend.apiVersion).toBe("2.16");
      expect(planned.data.notes).toContain(
        `User ID ${SEED.merged.externalId} belonged to a contact that was merged into ${SEED.user.id}; the update goes to ${SEED.user.id}.`,
      );
      expect(writes()).toEqual([]);
      const r = await v216.call("apply_user_update", { plan_id: planned.data.plan_id });
      expect(r.data.outcome).toBe("applied");
      expect(r.data.user.merged_from).toContain(SEED.merged.externalId);
      expect(stored().name).toBe("Joe Merged");
    } finally {
      await v216.close();
    }
  });

  it("every problem is reported at once, with no plan_id, and nothing is written", async () => {
    const r = await server.call("plan_user_update", {
      userId: "25",
      email: "ada.lovelace@example.com",
      customAttributes: { plna: "pro" },
    });
    expect(r.result.isError).toBe(true);
    expect(r.data.plan_id).toBeUndefined();
    expect(r.data.error.kind).toBe("conflict");
    expect(r.data.error.problems.map((p: { field: string; kind: string }) => [p.field, p.kind])).toEqual([
      ["email", "conflict"],
      ["customAttributes", "invalid_input"],
    ]);
    for (const p of r.data.error.problems) expect(p.message).toBeTruthy();
    expect(r.text).toContain(
      'Custom attributes: "plna" is not a custom attribute of this workspace; did you mean "plan"?',
    );
    expect(writes()).toEqual([]);
  });

  it("invalid input sends no request at all", async () => {
    const r = await server.call("plan_user_update", { userId: "25", email: "not-an-email", signedUpAt: "yesterday" });
    expect(r.result.isError).toBe(true);
    expect(r.data.error.kind).toBe("invalid_input");
    expect(r.data.error.problems.map((p: { field: string }) => p.field)).toEqual(["email", "signedUpAt"]);
    expect(sandbox.requests()).toEqual([]);
  });

  it("an unknown user is not_found and gets no plan", async () => {
    const r = await server.call("plan_user_update", { userId: "nobody-has-this", name: "X" });
    expect(r.data.error.kind).toBe("not_found");
    expect(r.data.plan_id).toBeUndefined();
    expect(writes()).toEqual([]);
  });

  it("refuses (stale) when the user changed after the plan was made, writing nothing", async () => {
    const planned = await plan({ userId: "25", name: "Joe Renamed" });
    await changeElsewhere(SEED.user.id, { phone: "+1 555 0100" });
    sandbox.clearRequests();
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.result.isError).toBe(true);
    expect(r.data.outcome).toBe("not_applied");
    expect(r.data.error.kind).toBe("stale");
    expect(r.data.error.message).toMatch(/^The user changed after the plan was made/);
    expect(r.data.error.hint).toMatch(/Plan the update again/);
    expect(writes()).toEqual([]);
    expect(stored().name).toBe(SEED.user.name);
    const again = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(again.data.error.kind).toBe("plan_already_applied");
    expect(again.data.error.message).toContain("(outcome: not_applied, stale)");
  });

  it.each([
    ["an unknown plan_id", { plan_id: "plan_00000000-0000-0000-0000-000000000000" }, "plan_unknown"],
    ["no plan_id", {}, "invalid_input"],
    ["a plan_id that is not text", { plan_id: 42 }, "invalid_input"],
    ["a field beside the plan_id", { plan_id: "plan_x", name: "sneaky" }, "invalid_input"],
  ])("%s is refused before anything is sent", async (_what, args, kind) => {
    const r = await server.call("apply_user_update", args);
    expect(r.result.isError).toBe(true);
    expect(r.data.error.kind).toBe(kind);
    expect(r.data.outcome).toBe("not_applied");
    expect(r.data.error.hint.length).toBeGreaterThan(0);
    expect(sandbox.requests()).toEqual([]);
  });

  it("partial: the user was updated, then attaching the company failed; the record shows where it stopped", async () => {
    const planned = await plan({ userId: "25", name: "Joe Partial", companyId: SEED.unattachedCompany.companyId });
    sandbox.setFaults([{ method: "POST", path: "/contacts/:id/companies", status: 500 }]);
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.result.isError).toBe(true);
    expect(r.data.outcome).toBe("partial");
    expect(r.data.error.kind).toBe("partial");
    expect(r.data.error.applied.map((a: { summary: string }) => a.summary)).toEqual(["user updated (name)"]);
    expect(r.data.error.notApplied).toContain("attach");
    expect(r.data.user.name).toBe("Joe Partial");
    expect(stored().name).toBe("Joe Partial");
    expect(sandbox.state.companiesOf(SEED.user.id).map((c) => c.company_id)).not.toContain(
      SEED.unattachedCompany.companyId,
    );
    expect(r.text).toContain("Error (partial): Only part of the update was made (user updated (name))");
    expect(r.text).toContain("The user as read after the failure:");
    const again = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(again.data.error.message).toContain("(outcome: partial, partial)");
  });

  it("unknown: every PUT's answer is lost and so is the read-back; nobody pretends to know", async () => {
    const planned = await plan({ userId: "25", name: "Joe Maybe" });
    // Only after the pre-apply check has read the user: then every update and every read of the user dies mid-answer.
    afterResponse = (method, path, status) => {
      if (method === "GET" && path === `/contacts/${SEED.user.id}` && status === 200) {
        afterResponse = () => {};
        sandbox.setFaults([
          { method: "PUT", path: "/contacts/:id", reset: true },
          { method: "GET", path: "/contacts/:id", reset: true },
        ]);
      }
    };
    const r = await server.call("apply_user_update", { plan_id: planned.data.plan_id });
    expect(r.result.isError).toBe(true);
    expect(r.data.outcome).toBe("unknown");
    expect(r.data.error.kind).toBe("unknown");
    expect(r.data.error.unknown).toEqual(["update"]);
    expect(r.data.error.hint).toMatch(/Running the same update again is safe/);
    expect(r.data.user).toBeNull();
    expect(r.text).toContain("Error (unknown): Update the user's fields (name) may have been applied");
    expect(r.text).toContain("The user could not be read after the failure");
  });

  it("two applies of one plan at the same time: one applies, the other is refused", async () => {
    const planned = await plan({ userId: "25", name: "Joe Once" });
    sandbox.setFaults([{ method: "PUT", latencyMs: 300 }]);
    const [a, b] = await Promise.all([
      server.call("apply_user_update", { plan_id: planned.data.plan_id }),
      server.call("apply_user_update", { plan_id: planned.data.plan_id }),
    ]);
    const outcomes = [a, b].map((r) => r.data.error?.kind ?? r.data.outcome).sort();
    expect(outcomes).toEqual(["applied", "plan_in_progress"]);
    expect(sandbox.requests().filter((r) => r.method === "PUT")).toHaveLength(1);
  });

  it("values from Intercom are shown escaped in the text and exact in the structured content", async () => {
    const name = "Joe \u001b[2J\u202eEvil";
    await changeElsewhere(SEED.user.id, { name });
    const r = await server.call("find_user", { userId: "25" });
    expect(r.data.user.name).toBe(name);
    expect(r.text).not.toContain("\u001b");
    expect(r.text).not.toContain("\u202e");
    expect(r.text).toContain("Joe \\e[2J\\u202eEvil");
    const planned = await plan({ userId: "25", phone: "1" });
    expect(planned.text).toContain("User: Joe \\e[2J\\u202eEvil <joe@example.com>");
  });

  it("sends progress notifications when the client asks for them", async () => {
    const planned = await plan({ userId: "25", name: "Joe Progress" });
    const seen: string[] = [];
    await server.client.callTool(
      { name: "apply_user_update", arguments: { plan_id: planned.data.plan_id } },
      undefined,
      {
        onprogress: (p) => {
          seen.push(String(p.message));
        },
      },
    );
    // The server sends every step before its result; the SDK's client drops a notification that it reads in the same
    // chunk as the result (it handles notifications a microtask later), so only the earlier ones are certain here.
    expect(seen.slice(0, 3)).toEqual([
      "Check that the user has not changed since the plan was made: started",
      "Check that the user has not changed since the plan was made: done",
      "Update the user's fields (name): started",
    ]);
    expect(server.stderr()).toContain("apply_user_update: Update the user's fields (name): done");
  });
});
