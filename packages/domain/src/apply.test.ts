import { createIntercomClient } from "@intercom-kit/core";
import { describe, expect, it } from "vitest";
import { applyUpdate } from "./apply.js";
import { prepareUpdate } from "./prepare.js";

/** A server whose PUT is received but never answered (the person cancels while it is in flight). */
function client(received: string[]) {
  const contact = { type: "contact", id: "c1", external_id: "25", role: "user", name: "Joe" };
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    received.push(`${request.method} ${new URL(request.url).pathname}`);
    if (request.method === "PUT") {
      return new Promise<Response>((_resolve, reject) => {
        request.signal.addEventListener("abort", () => reject(request.signal.reason));
      });
    }
    return new Response(JSON.stringify(contact), { status: 200, headers: { "content-type": "application/json" } });
  };
  return createIntercomClient({ token: "t", baseUrl: "http://127.0.0.1:9", fetch: fetch as typeof globalThis.fetch });
}

describe("applyUpdate: cancelled while a write is in flight", () => {
  it("does not claim the write was not made: it may have been (unknown), and running it again is safe", async () => {
    const received: string[] = [];
    const c = client(received);
    const prepared = await prepareUpdate(c, { intercomId: "c1", name: "Jane" }, { output: "contact" });
    if (!prepared.ok) throw new Error(prepared.error.message);
    const controller = new AbortController();
    const result = await applyUpdate(c, prepared.plan, {
      signal: controller.signal,
      onStep: (e) => {
        if (e.step === "update" && e.state === "started") setTimeout(() => controller.abort(), 20);
      },
    });
    expect(received).toContain("PUT /contacts/c1");
    if (result.ok) throw new Error("expected aborted");
    expect(result.error).toMatchObject({
      kind: "aborted",
      message: "Cancelled while a change was being sent",
      unknown: ["update"],
    });
  });

  it("cancelled before the write left: certainly not made", async () => {
    const received: string[] = [];
    const c = client(received);
    const prepared = await prepareUpdate(c, { intercomId: "c1", name: "Jane" }, { output: "contact" });
    if (!prepared.ok) throw new Error(prepared.error.message);
    const controller = new AbortController();
    const result = await applyUpdate(c, prepared.plan, {
      signal: controller.signal,
      onStep: (e) => {
        if (e.step === "update" && e.state === "started") controller.abort();
      },
    });
    expect(received).not.toContain("PUT /contacts/c1");
    if (result.ok) throw new Error("expected aborted");
    expect(result.error).toMatchObject({
      kind: "aborted",
      message: "Cancelled before anything was changed",
      notApplied: ["update"],
    });
    expect(result.error.unknown).toBeUndefined();
  });
});
