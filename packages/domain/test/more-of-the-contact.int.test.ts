/**
 * Issue 14 against the sandbox, on API 2.15 and 2.16: tags, archive and restore, role, a new user ID, avatar,
 * sign-up and last-seen times, owner, email verified, and a bulk file with tag/untag/owner/role columns.
 */
import type { IntercomClientOptions } from "@intercom-kit/core";
import { SEED } from "@intercom-kit/sandbox";
import { describe, expect, it } from "vitest";
import { parseBulkInput, updateUsers } from "../src/bulk/index.js";
import { prepareUpdate, type UpdateUserError, type UpdateUserResult, updateUser } from "../src/index.js";
import { fileSandbox } from "./helpers/sandbox.js";

const box = fileSandbox();

const VERSIONS = ["2.15", "2.16"] as const;

const client = (version: string, over: Partial<IntercomClientOptions> = {}) => box.client({ version, ...over });
const { writes } = box;

function ok(result: UpdateUserResult) {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result;
}
function failed(result: UpdateUserResult): UpdateUserError {
  if (result.ok) throw new Error(`expected a failure, got ${result.outcome}`);
  return result.error;
}
const tagNames = (contactId: string) => box.sb.state.tagsOf(contactId).map((t) => t.name);

describe.each(VERSIONS)("API %s", (version) => {
  describe("tags", () => {
    it("adds an existing tag and creates a missing one (created first, in the plan), in one update", async () => {
      const input = { userId: "30", tags: ["Churn risk", "Brand New", "VIP"] };
      const prepared = await prepareUpdate(client(version), input);
      expect(prepared.ok).toBe(true);
      if (!prepared.ok) return;
      // VIP: the user has it already, so it is not sent.
      expect(prepared.plan.calls.filter((c) => c.phase === "write").map((c) => c.id)).toEqual([
        "create-tag:Brand New",
        "tag:Churn risk",
        "tag:Brand New",
      ]);
      expect(prepared.plan.notes.join(" ")).toContain("Tag Brand New is new: it is created first.");
      const result = ok(await updateUser(client(version), input));
      expect(result.outcome).toBe("applied");
      expect(tagNames(SEED.plainUser.id).sort()).toEqual(["Beta tester", "Brand New", "Churn risk", "VIP"]);
      expect(result.user.tags.tags.map((t) => t.name).sort()).toEqual([
        "Beta tester",
        "Brand New",
        "Churn risk",
        "VIP",
      ]);
    });

    it("a tag the user has is not sent again; untagging one they do not have is a note", async () => {
      const result = ok(
        await updateUser(client(version), { userId: "25", tags: ["sync"], untags: ["VIP", "No Such Tag"] }),
      );
      expect(result.outcome).toBe("unchanged");
      expect(writes()).toEqual([]);
      expect(result.notes.join(" ")).toContain("does not have the tag VIP");
      expect(result.notes.join(" ")).toContain("No tag is named No Such Tag");
    });

    it("removes a tag the user has", async () => {
      const result = ok(await updateUser(client(version), { userId: "25", untags: ["Sync"] }));
      expect(result.applied.map((a) => a.summary)).toEqual(["tag Sync removed"]);
      expect(tagNames(SEED.user.id)).not.toContain("Sync");
      expect(result.user.tags.tags.map((t) => t.name)).not.toContain("Sync");
    });
  });

  describe("archived users", () => {
    it("are not found by user ID, and the error says how to restore them", async () => {
      const error = failed(await updateUser(client(version), { userId: SEED.archived.externalId, name: "x" }));
      expect(error.kind).toBe("not_found");
      expect(error.hint).toContain("archived");
      expect(error.hint).toContain("Restore from archive");
    });

    it("are restored first, then updated, and can be archived again after", async () => {
      const result = ok(
        await updateUser(client(version), {
          intercomId: SEED.archived.id,
          unarchive: true,
          name: "Back Again",
          archive: true,
        }),
      );
      const order = writes();
      expect(order[0]).toBe("POST /contacts/:contact_id/unarchive");
      expect(order.at(-1)).toBe("POST /contacts/:contact_id/archive");
      expect(result.user.name).toBe("Back Again");
      expect(box.sb.state.isArchived(SEED.archived.id)).toBe(true);
    });

    it("archive alone archives the user after reading them", async () => {
      ok(await updateUser(client(version), { userId: "30", archive: true }));
      expect(box.sb.state.isArchived(SEED.plainUser.id)).toBe(true);
      const error = failed(await updateUser(client(version), { userId: "30", name: "gone" }));
      expect(error.kind).toBe("not_found");
    });
  });

  describe("the other fields PUT /contacts takes", () => {
    it("a lead becomes a user and gets a user ID; a taken user ID is a conflict found first", async () => {
      const result = ok(
        await updateUser(client(version), { intercomId: SEED.lead.id, role: "user", externalId: "lead-now-user" }),
      );
      expect(result.user.anonymous).toBe(false);
      expect(result.user.user_id).toBe("lead-now-user");
      const taken = failed(await updateUser(client(version), { userId: "30", externalId: "25" }));
      expect(taken.kind).toBe("conflict");
    });

    it("a user cannot become a lead: refused before anything is sent", async () => {
      box.sb.clearRequests();
      const error = failed(await updateUser(client(version), { userId: "25", role: "lead" as "user" }));
      expect(error.kind).toBe("invalid_input");
      expect(box.sb.requests()).toEqual([]);
    });

    it("avatar, signed up at and last seen at (ISO 8601 or Unix seconds)", async () => {
      const result = ok(
        await updateUser(client(version), {
          userId: "25",
          avatar: "https://images.example.com/joe.png",
          signedUpAt: "2024-05-01T09:30:00Z",
          lastSeenAt: "1714555900",
        }),
      );
      expect(result.user.avatar.image_url).toBe("https://images.example.com/joe.png");
      expect(result.user.signed_up_at).toBe(1714555800);
      expect(result.user.last_request_at).toBe(1714555900);
      expect(box.sb.requests().find((r) => r.method === "PUT")?.body).toEqual({
        avatar: "https://images.example.com/joe.png",
        signed_up_at: 1714555800,
        last_seen_at: 1714555900,
      });
    });

    it("owner by email or id, sent as the version types owner_id", async () => {
      const [first, second] = SEED.admins as unknown as Array<{ id: string; email: string }>;
      if (!first || !second) throw new Error("the seed has admins");
      ok(await updateUser(client(version), { userId: "25", owner: second.email }));
      const put = box.sb.requests().find((r) => r.method === "PUT");
      expect(put?.body).toEqual({ owner_id: version === "2.16" ? second.id : Number(second.id) });
      const byId = ok(await updateUser(client(version), { userId: "25", owner: first.id }));
      expect(byId.user.owner_id).toBe(first.id);
    });
  });
});

describe("email verified (API 2.16 only, sent with the email)", () => {
  it("2.16 sends both together", async () => {
    ok(await updateUser(client("2.16"), { userId: "25", email: "joe.verified@example.com", emailVerified: true }));
    expect(box.sb.requests().find((r) => r.method === "PUT")?.body).toEqual({
      email: "joe.verified@example.com",
      email_verified: true,
    });
  });
  it("2.15 refuses it before sending", async () => {
    const error = failed(
      await updateUser(client("2.15"), { userId: "25", email: "a@example.com", emailVerified: true }),
    );
    expect(error.kind).toBe("invalid_input");
    expect(error.fieldErrors?.[0]?.field).toBe("emailVerified");
    expect(box.sb.requests()).toEqual([]);
  });
});

describe("bulk: tag, untag, owner and role columns", () => {
  it("each missing tag is created once per run, every row applied", async () => {
    const admin = (SEED.admins as unknown as Array<{ email: string }>)[1]?.email ?? "";
    const csv = [
      "user-id,tag,untag,owner,role",
      `26,Launch 2026;VIP,,${admin},`,
      `27,Launch 2026,,${admin},`,
      `28,Launch 2026,Sync,,`,
      `29,launch 2026,,,user`,
    ].join("\n");
    const parsed = parseBulkInput(csv, { format: "csv" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const results = [];
    for await (const r of updateUsers(client("2.15"), parsed.rows, { concurrency: 4 })) results.push(r);
    expect(results.map((r) => r.status)).toEqual(["applied", "applied", "applied", "applied"]);
    const creates = box.sb.requests().filter((r) => r.method === "POST" && r.route === "/tags");
    expect(creates).toHaveLength(1);
    // The workspace's tags and admins are read once for the run.
    expect(box.sb.requests().filter((r) => r.method === "GET" && r.route === "/tags")).toHaveLength(1);
    expect(box.sb.requests().filter((r) => r.method === "GET" && r.route === "/admins")).toHaveLength(1);
    for (const ext of ["26", "27", "28", "29"]) {
      const id = box.sb.state.listContacts().find((c) => c.external_id === ext)?.id as string;
      expect(tagNames(id).map((n) => String(n).toLowerCase())).toContain("launch 2026");
    }
  });
});
