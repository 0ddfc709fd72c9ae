import { createIntercomClient } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import { prepareUpdate } from "./prepare.js";

/** A workspace with one user and two custom attributes, served by an injected fetch (no network). */
function client() {
  const contact = { type: "contact", id: "c1", external_id: "25", role: "user", name: "Joe", custom_attributes: {} };
  const definitions = {
    type: "list",
    data: [
      { name: "plan", data_type: "string", custom: true, api_writable: true },
      { name: "team_mates", data_type: "integer", custom: true, api_writable: true },
    ],
  };
  const fetch = async (input: Request | string | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body =
      url.pathname === "/data_attributes" ? definitions : url.pathname.startsWith("/contacts/") ? contact : null;
    return new Response(JSON.stringify(body ?? { type: "error.list", errors: [{ code: "not_found" }] }), {
      status: body ? 200 : 404,
      headers: { "content-type": "application/json" },
    });
  };
  return createIntercomClient({ token: "t", baseUrl: "http://127.0.0.1:9", fetch: fetch as typeof globalThis.fetch });
}

describe("prepareUpdate: unknown attributes", () => {
  it("marks an unknown attribute creatable, but not one that is a typo of an existing one", async () => {
    const result = await prepareUpdate(client(), { userId: "25", customAttributes: "plna=pro, seats=3" });
    if (result.ok) throw new Error("expected problems");
    expect(result.error.problems?.map((p) => [/^"(\w+)"/.exec(p.message)?.[1], p.creatable === true])).toEqual([
      ["plna", false],
      ["seats", true],
    ]);
  });

  it("with createMissingAttributes the creatable one is planned for creation", async () => {
    const result = await prepareUpdate(
      client(),
      { userId: "25", customAttributes: "seats=3" },
      { createMissingAttributes: true },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.plan.calls.some((c) => c.kind === "create-attribute")).toBe(true);
  });
});
