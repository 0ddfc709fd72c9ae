/**
 * Issue 10's proofs against the sandbox over real HTTP: every foreseeable failure is found before the first write
 * (the request log shows no write), only what differs is written, and a write whose answer was lost is read back.
 */
import { SEED } from "@intercom-kit/sandbox";
import { describe, expect, it } from "vitest";
import { applyUpdate, prepareUpdate, type UpdateUserError, type UpdateUserResult, updateUser } from "../src/index.js";
import { fileSandbox } from "./helpers/sandbox.js";

const box = fileSandbox();

const { client, writes } = box;

function failure(result: UpdateUserResult): UpdateUserError {
  if (result.ok) throw new Error(`expected a failure, got ${result.outcome}`);
  expect(JSON.stringify(result.error)).not.toContain(box.sb.token);
  expect(result.error.hint.length).toBeGreaterThan(0);
  return result.error;
}

describe("foreseeable failures are found before the first write", () => {
  it("a new email another user has: conflict naming that user; no company created, nothing written", async () => {
    await updateUser(client(), { userId: "25", email: "joe.taken@example.com" });
    box.sb.clearRequests();
    const error = failure(
      await updateUser(client(), {
        userId: "26",
        email: "joe.taken@example.com",
        companyId: "ceo-co",
        companyName: "CEO Co",
      }),
    );
    expect(error.kind).toBe("conflict");
    expect(error.existingContactId).toBe(SEED.user.id);
    expect(error.message).toContain(SEED.user.id);
    expect(writes()).toEqual([]);
    expect(box.sb.state.companies().some((c) => c.company_id === "ceo-co")).toBe(false);
  });

  it("an email a lead has is a conflict too", async () => {
    const error = failure(await updateUser(client(), { userId: "26", email: SEED.lead.email }));
    expect(error.kind).toBe("conflict");
    expect(error.existingContactId).toBe(SEED.lead.id);
    expect(writes()).toEqual([]);
  });

  it("an unknown Intercom ID of company with a rename: not_found for the company, the name not written", async () => {
    const before = box.sb.state.getContact(SEED.plainUser.id)?.name;
    const error = failure(
      await updateUser(client(), { intercomId: SEED.plainUser.id, name: "Renamed", intercomCompanyId: SEED.unknownId }),
    );
    expect(error.kind).toBe("not_found");
    expect(error.problems?.[0]).toMatchObject({ field: "intercomCompanyId", kind: "not_found" });
    expect(writes()).toEqual([]);
    expect(box.sb.state.getContact(SEED.plainUser.id)?.name).toBe(before);
  });

  it("an unknown user leaves no company behind, and so does a lookup that fails with 503", async () => {
    const error = failure(
      await updateUser(client(), { userId: "nobody-here", companyId: "ghost-co", companyName: "Ghost" }),
    );
    expect(error.kind).toBe("not_found");
    box.sb.setFaults([{ method: "GET", path: "/contacts/find_by_external_id/:id", status: 503, times: 100 }]);
    const down = failure(await updateUser(client({ maxRetries: 1 }), { userId: "25", companyId: "ghost-co" }));
    expect(down.kind).toBe("intercom_error");
    expect(writes()).toEqual([]);
    expect(box.sb.state.companies().some((c) => c.company_id === "ghost-co")).toBe(false);
  });

  it("every attribute problem at once, named, with a suggestion; nothing written", async () => {
    const { dataAttributes: a } = SEED;
    const error = failure(
      await updateUser(client(), {
        userId: "25",
        name: "Not Written",
        customAttributes: {
          team_mats: "3",
          [a.integer]: "three",
          [a.archived]: "x",
          [a.readOnly]: 5,
          [a.list.name]: "gold",
        },
      }),
    );
    expect(error.kind).toBe("invalid_input");
    const text = (error.problems ?? []).map((p) => p.message).join("\n");
    expect(text).toContain('"team_mats" is not a custom attribute of this workspace; did you mean "team_mates"?');
    expect(text).toContain(`"${a.integer}" is a whole number attribute`);
    expect(text).toContain(`"${a.archived}" is archived`);
    expect(text).toContain(`"${a.readOnly}" cannot be written through the API`);
    expect(text).toContain(`"${a.list.name}" takes one of "free", "pro", "enterprise"`);
    expect(error.problems).toHaveLength(5);
    expect(writes()).toEqual([]);
  });

  it("an unknown owner is refused before any write; a known one is resolved by email", async () => {
    const error = failure(await updateUser(client(), { userId: "25", name: "X", owner: "nobody@example.com" }));
    expect(error.kind).toBe("invalid_input");
    expect(error.problems?.[0]?.field).toBe("owner");
    expect(writes()).toEqual([]);
    const admin = SEED.admins[1] as { id: string; email: string };
    const ok = await updateUser(client(), { userId: "25", owner: admin.email });
    expect(ok.ok && ok.user.owner_id).toBe(admin.id);
  });

  it("a new user ID another contact has is a conflict found first", async () => {
    const error = failure(await updateUser(client(), { userId: "26", externalId: "25", name: "x" }));
    expect(error.kind).toBe("conflict");
    expect(error.problems?.[0]?.field).toBe("externalId");
    expect(writes()).toEqual([]);
  });
});

describe("custom attributes are typed from the workspace's definitions", () => {
  it.each([
    ["integer", SEED.dataAttributes.integer, "3", 3],
    ["float", SEED.dataAttributes.float, "12.5", 12.5],
    ["boolean", SEED.dataAttributes.boolean, "yes", true],
    ["date", SEED.dataAttributes.date, "2024-05-01", 1714521600],
    ["string", SEED.dataAttributes.string, "007", "007"],
    ["list", SEED.dataAttributes.list.name, "pro", "pro"],
  ])("%s", async (_kind, name, given, stored) => {
    const result = await updateUser(client(), {
      userId: "25",
      customAttributes: [`${name}=${given}`] as unknown as string,
    });
    expect(result.ok).toBe(true);
    const attrs = box.sb.state.getContact(SEED.user.id)?.custom_attributes as Record<string, unknown> | undefined;
    expect(attrs?.[name]).toBe(stored);
  });

  it("missing attributes are created only when asked: listed in the plan first, then they exist", async () => {
    const refused = failure(
      await updateUser(client(), { userId: "25", customAttributes: ["churn_reason=price"] as unknown as string }),
    );
    expect(refused.kind).toBe("invalid_input");
    const prepared = await prepareUpdate(
      client(),
      { userId: "25", customAttributes: ["churn_reason=price", "seats_bought:integer=7"] as unknown as string },
      { createMissingAttributes: true },
    );
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    const creates = prepared.plan.calls.filter((c) => c.kind === "create-attribute").map((c) => c.body);
    expect(creates).toEqual([
      { name: "churn_reason", model: "contact", data_type: "string" },
      { name: "seats_bought", model: "contact", data_type: "integer" },
    ]);
    expect(writes()).toEqual([]);
    const result = await applyUpdate(client(), prepared.plan);
    expect(result.ok).toBe(true);
    expect(box.sb.state.getContact(SEED.user.id)?.custom_attributes).toMatchObject({
      churn_reason: "price",
      seats_bought: 7,
    });
  });
});

describe("only what changes is sent", () => {
  it("the same update twice: the second makes no write and says unchanged", async () => {
    const input = {
      userId: "25",
      name: "Twice",
      unsubscribedFromEmails: false,
      companyId: "366",
      companyName: SEED.company.name,
      tags: ["VIP"],
      customAttributes: [`${SEED.dataAttributes.integer}=4`] as unknown as string,
    };
    const first = await updateUser(client(), input);
    expect(first.ok && first.outcome).toBe("applied");
    box.sb.clearRequests();
    const second = await updateUser(client(), input);
    expect(second.ok && second.outcome).toBe("unchanged");
    expect(writes()).toEqual([]);
    if (second.ok) expect(second.changes.every((c) => !c.changed)).toBe(true);
  });

  it("only the fields that differ are in the PUT body", async () => {
    const result = await updateUser(client(), { userId: "25", name: SEED.user.name, phone: "+1 555 0199" });
    expect(result.ok).toBe(true);
    expect(box.sb.requests().find((r) => r.method === "PUT")?.body).toEqual({ phone: "+1 555 0199" });
  });
});

describe("no write is reported wrongly", () => {
  it.each([
    ["reset", { reset: true }],
    ["malformed", { malformed: true }],
  ])("every PUT answered by %s: applied, confirmed by reading back", async (_n, fault) => {
    box.sb.setFaults([{ method: "PUT", path: "/contacts/:id", ...fault }]);
    const result = await updateUser(client({ maxRetries: 1 }), { userId: "25", name: "Lost Answer" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.outcome).toBe("applied");
    expect(result.applied[0]).toMatchObject({ step: "update", verified: true });
    expect(box.sb.state.getContact(SEED.user.id)?.name).toBe("Lost Answer");
  });

  it("the PUT's answer lost and the read-back failing too: unknown, never 'not applied'", async () => {
    box.sb.setFaults([
      { method: "PUT", path: "/contacts/:id", reset: true },
      { method: "GET", path: "/contacts/:id", status: 503 },
    ]);
    const error = failure(await updateUser(client({ maxRetries: 1 }), { userId: "25", name: "Maybe" }));
    expect(error.kind).toBe("unknown");
    expect(error.unknown).toEqual(["update"]);
    expect(error.notApplied ?? []).not.toContain("update");
    expect(error.hint).toContain("safe");
  });

  it("a failed read for the record does not fail an applied update", async () => {
    box.sb.setFaults([{ method: "GET", path: "/contacts/:id/tags", status: 503 }]);
    const result = await updateUser(client({ maxRetries: 1 }), { userId: "25", name: "Stored" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.outcome).toBe("applied");
    expect(result.user.incomplete).toEqual(["tags"]);
    expect(result.notes.join(" ")).toContain("tags could not be read");
    expect(box.sb.state.getContact(SEED.user.id)?.name).toBe("Stored");
  });
});

describe("identifiers cannot change the path", () => {
  it.each([
    ["..", "userId"],
    [".", "intercomId"],
    ["..", "intercomCompanyId"],
  ] as const)("%s as %s is refused and nothing is sent", async (id, key) => {
    const input = key === "intercomCompanyId" ? { userId: "25", intercomCompanyId: id } : { [key]: id, name: "x" };
    const error = failure(await updateUser(client(), input));
    expect(error.kind).toBe("invalid_input");
    expect(box.sb.requests()).toEqual([]);
  });
});

describe("versions", () => {
  it("2.16: a merged user ID is followed in the lookup, and the plan says so before writing", async () => {
    const prepared = await prepareUpdate(client({ version: "2.16" }), {
      userId: SEED.merged.externalId,
      name: "Merged",
    });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.plan.contactId).toBe(SEED.merged.mergedIntoId);
    expect(prepared.plan.notes.join(" ")).toContain("merged into");
    expect(writes()).toEqual([]);
    const result = await applyUpdate(client({ version: "2.16" }), prepared.plan);
    expect(result.ok && result.user.merged_from).toBe(`user ID ${SEED.merged.externalId}`);
  });

  it("2.15: a merged user ID is not found (Intercom answers 404)", async () => {
    const error = failure(await updateUser(client({ version: "2.15" }), { userId: SEED.merged.externalId, name: "x" }));
    expect(error.kind).toBe("not_found");
  });
});
