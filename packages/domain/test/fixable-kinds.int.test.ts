/**
 * Issue 10, exit-code-relevant kinds: every problem a person can fix comes back as a kind that says so
 * (invalid_input, conflict, not_found, ambiguous: exit 2 or 3 in the CLI), never as one that reads like Intercom or
 * the network failing (intercom_error, rate_limited, network, timeout: exit 5, "try again"), and nothing was written:
 * no write request reached the sandbox, even though each input also asks for a new company, a tag and a name.
 */
import { type FaultRule, SEED } from "@intercom-kit/sandbox";
import { describe, expect, it } from "vitest";
import { type ErrorKind, type RawUpdateUserInput, type UpdateUserError, updateUser } from "../src/index.js";
import { fileSandbox } from "./helpers/sandbox.js";

const box = fileSandbox();

const client = (version: "2.15" | "2.16" = "2.15") => box.client({ maxRetries: 1, version });

const FIVE_XX_LIKE: ReadonlySet<ErrorKind> = new Set(["intercom_error", "rate_limited", "network", "timeout"]);
const WRITE = (r: { method: string; route: string | null }) =>
  r.method === "PUT" || r.method === "DELETE" || (r.method === "POST" && r.route !== "/contacts/search");

/** Every write the update would make if the problem were not there: a name, a new company, a tag. */
const withWrites = (input: RawUpdateUserInput): RawUpdateUserInput => ({
  name: "Not Written",
  companyId: "never-co",
  companyName: "Never Co",
  tags: ["VIP"],
  ...input,
});
const a = SEED.dataAttributes;

type Row = [
  problem: string,
  input: RawUpdateUserInput,
  kind: "invalid_input" | "conflict" | "not_found" | "ambiguous",
  field: string | null,
  faults?: FaultRule[],
];
const ROWS: Row[] = [
  ["the new email belongs to another user", withWrites({ userId: "26", email: SEED.user.email }), "conflict", "email"],
  ["the new email belongs to a lead", withWrites({ userId: "26", email: SEED.lead.email }), "conflict", "email"],
  ["the new user ID belongs to another user", withWrites({ userId: "26", externalId: "25" }), "conflict", "externalId"],
  [
    "no company has that Intercom ID",
    { userId: "25", name: "Not Written", tags: ["VIP"], intercomCompanyId: SEED.unknownId },
    "not_found",
    "intercomCompanyId",
  ],
  [
    "an unknown custom attribute",
    withWrites({ userId: "25", customAttributes: { team_mats: 3 } }),
    "invalid_input",
    "customAttributes",
  ],
  [
    "an archived custom attribute",
    withWrites({ userId: "25", customAttributes: { [a.archived]: "x" } }),
    "invalid_input",
    "customAttributes",
  ],
  [
    "a read-only custom attribute",
    withWrites({ userId: "25", customAttributes: { [a.readOnly]: 5 } }),
    "invalid_input",
    "customAttributes",
  ],
  [
    "a mistyped custom attribute (text for a number)",
    withWrites({ userId: "25", customAttributes: { [a.integer]: "three" } }),
    "invalid_input",
    "customAttributes",
  ],
  [
    "a list attribute given a value not among its options",
    withWrites({ userId: "25", customAttributes: { [a.list.name]: "gold" } }),
    "invalid_input",
    "customAttributes",
  ],
  [
    "an owner who is not an admin of the workspace",
    withWrites({ userId: "25", owner: "nobody@example.com" }),
    "invalid_input",
    "owner",
  ],
  ["a user made a lead (Intercom cannot)", withWrites({ userId: "25", role: "lead" }), "invalid_input", "role"],
  ["no user has that user ID", withWrites({ userId: "nobody-here" }), "not_found", null],
  ["the user is archived (not found by user ID)", withWrites({ userId: SEED.archived.externalId }), "not_found", null],
  ["the user was merged (2.15 answers 404)", withWrites({ userId: SEED.merged.externalId }), "not_found", null],
  ["the current email belongs to two users", withWrites({ lookupEmail: SEED.sharedEmail }), "ambiguous", null],
  // Past the pre-flight: Intercom's own rules for a value (here its email check) refuse the PUT. It is the only write.
  [
    "Intercom refuses the new email (400 on the PUT)",
    { userId: "25", email: "odd@example.com" },
    "invalid_input",
    null,
    [{ method: "PUT", path: "/contacts/:id", status: 400, message: "Email address is invalid" }],
  ],
  [
    "Intercom cannot process the values (422 on the PUT)",
    { userId: "25", phone: "+1 555 0100" },
    "invalid_input",
    null,
    [{ method: "PUT", path: "/contacts/:id", status: 422 }],
  ],
];

function failure(result: Awaited<ReturnType<typeof updateUser>>): UpdateUserError {
  if (result.ok) throw new Error(`expected a failure, got ${result.outcome}`);
  return result.error;
}

describe("a problem a person can fix has a kind that says so, and nothing is written", () => {
  it.each(ROWS)("%s: %s", async (_problem, input, kind, field, faults = []) => {
    box.sb.setFaults(faults);
    const before = box.sb.state.snapshot();
    const error = failure(await updateUser(client(), input));

    expect(error.kind).toBe(kind);
    expect(FIVE_XX_LIKE.has(error.kind)).toBe(false);
    expect(error.failedKind).toBeUndefined();
    expect(error.hint.length).toBeGreaterThan(0);
    if (field) {
      const named = [...(error.problems ?? []).map((p) => p.field), ...(error.fieldErrors ?? []).map((f) => f.field)];
      expect(named).toContain(field);
    }

    // Nothing written: no write reached Intercom (a refused one changes nothing), and the state is as it was.
    const writes = box.sb.requests().filter((r) => WRITE(r) && r.status >= 200 && r.status < 300);
    expect(writes.map((r) => `${r.method} ${r.route}`)).toEqual([]);
    expect(box.sb.state.snapshot()).toEqual(before);
    expect(error.applied ?? []).toEqual([]);
  });

  it("2.16: a merged user is followed instead (the survivor is updated): not a problem at all", async () => {
    const result = await updateUser(client("2.16"), { userId: SEED.merged.externalId, name: "Followed" });
    expect(result.ok).toBe(true);
    expect(box.sb.state.getContact(SEED.merged.mergedIntoId)?.name).toBe("Followed");
  });

  it("the one fixable problem no read can foresee: a new email an archived contact keeps (search never finds archived contacts); still a conflict, and what was written besides is named", async () => {
    const error = failure(await updateUser(client(), { userId: "26", email: SEED.archived.email, tags: ["VIP"] }));
    expect(error.kind).toBe("partial");
    expect(error.failedKind).toBe("conflict");
    expect(error.existingContactId).toBe(SEED.archived.id);
    expect(error.applied?.map((s) => s.step)).toEqual(["tag:VIP"]);
    expect(error.notApplied).toEqual(["update"]);
    const ada = box.sb.state.findByExternalId("26") as { id: string; email: string };
    expect(ada.email).not.toBe(SEED.archived.email);
    expect(box.sb.state.tagsOf(ada.id).map((t) => t.name)).toContain("VIP");
    // Alone, it writes nothing and is a plain conflict.
    box.sb.reset();
    const alone = failure(await updateUser(client(), { userId: "26", email: SEED.archived.email }));
    expect(alone.kind).toBe("conflict");
    expect(alone.applied ?? []).toEqual([]);
  });
});
