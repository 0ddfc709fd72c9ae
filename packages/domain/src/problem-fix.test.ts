/** A problem says which option would fix it, so a review screen can offer "create the missing attributes". */
import { createIntercomClient } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import { prepareUpdate } from "./prepare.js";

const CONTACT = {
  type: "contact",
  id: "c1",
  external_id: "25",
  role: "user",
  name: "Joe",
  custom_attributes: { plan: "free" },
};
const ATTRIBUTES = {
  type: "list",
  data: [
    { type: "data_attribute", name: "plan", data_type: "string", custom: true, archived: false, api_writable: true },
  ],
};

/** An injected fetch answering the lookup and the attribute list (no network). */
function client() {
  const fetch = async (request: Request | string | URL) => {
    const url = new URL(typeof request === "string" || request instanceof URL ? request : request.url);
    const body = url.pathname.startsWith("/contacts/find_by_external_id/") ? CONTACT : ATTRIBUTES;
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  };
  return createIntercomClient({
    token: "t",
    baseUrl: "https://intercom.test",
    fetch: fetch as typeof globalThis.fetch,
  });
}

describe("pre-flight problems name the option that fixes them", () => {
  it("an unknown attribute is fixable by createMissingAttributes; a near miss is not (it would create a typo)", async () => {
    const unknown = await prepareUpdate(client(), { userId: "25", customAttributes: { seats: "3" } });
    expect(unknown.ok).toBe(false);
    if (unknown.ok) return;
    expect(unknown.error.problems?.map((p) => p.fix)).toEqual(["createMissingAttributes"]);

    const near = await prepareUpdate(client(), { userId: "25", customAttributes: { plna: "pro" } });
    expect(near.ok).toBe(false);
    if (near.ok) return;
    expect(near.error.problems?.[0]?.message).toContain('did you mean "plan"');
    // Creating refuses a name one edit away from an existing one, so the option would not fix it: not offered.
    expect(near.error.problems?.[0]?.fix).toBeUndefined();

    const created = await prepareUpdate(
      client(),
      { userId: "25", customAttributes: { seats: "3" } },
      { createMissingAttributes: true },
    );
    expect(created.ok).toBe(true);
  });
});
