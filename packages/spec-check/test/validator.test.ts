import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { loadOfficialDescription } from "../src/locate.js";
import { createOfficialValidator, dropRelativeUriErrors } from "../src/validator.js";

const madeUp = {
  openapi: "3.0.1",
  paths: {
    "/things/{id}": {
      get: {
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: {
                  allOf: [{ $ref: "#/components/schemas/thing" }],
                  properties: { extra: { type: "boolean", nullable: true } },
                },
              },
            },
          },
        },
      },
    },
    "/things/search": {
      post: {
        requestBody: {
          content: {
            "application/json": { schema: { oneOf: [{ $ref: "#/components/schemas/query" }], nullable: true } },
          },
        },
        responses: { "200": { $ref: "#/components/responses/Listed" } },
      },
    },
  },
  components: {
    responses: {
      Listed: {
        description: "list",
        content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/thing" } } } },
      },
    },
    schemas: {
      query: { type: "object", required: ["q"], properties: { q: { type: "string" } } },
      thing: {
        type: "object",
        properties: {
          id: { type: "string" },
          url: { type: "string", format: "uri" },
          when: { type: "integer", format: "timestamp" },
          kind: { type: "string", enum: ["a", null] },
          parent: { $ref: "#/components/schemas/thing", nullable: true },
          value: { nullable: true, oneOf: [{ type: "string" }, { type: "integer" }] },
        },
      },
    },
  },
};

describe("createOfficialValidator on a made-up document", () => {
  it("validates named schemas after the fix-ups", () => {
    const v = createOfficialValidator("2.15", { document: madeUp });
    expect(v.validate("thing", { id: "1", kind: null, parent: null, value: null, when: 5 })).toEqual({
      valid: true,
      errors: [],
      ignored: 0,
    });
    const bad = v.validate("thing", { id: 1, kind: "z", parent: { id: 2 }, value: true });
    expect(bad.valid).toBe(false);
    expect(bad.errors).toContain("/id must be string");
    expect(bad.errors).toContain("/parent/id must be string");
    expect(bad.errors.some((e) => e.startsWith("/kind must be equal to one of the allowed values"))).toBe(true);
    expect(v.compiledCount()).toBe(1);
  });

  it("throws for unknown schemas instead of passing", () => {
    const v = createOfficialValidator("2.15", { document: madeUp });
    expect(() => v.validate("nope", {})).toThrow(/no component schema named "nope"/);
    expect(() => v.assertCompiled(["thing", "nope"])).toThrow(/nope/);
    expect(() => v.assertCompiled(["thing"])).not.toThrow();
  });

  it("validates responses: inline allOf, $ref'd responses, concrete paths", () => {
    const v = createOfficialValidator("2.15", { document: madeUp });
    expect(v.validateResponse("GET", "/things/abc", 200, { id: "x", extra: null }).valid).toBe(true);
    expect(v.validateResponse("get", "/things/{id}", "200", { id: "x", extra: "no" }).errors).toEqual([
      "/extra must be boolean",
    ]);
    // /things/search must win over /things/{id}
    expect(v.validateResponse("POST", "/things/search", 200, [{ id: "1" }]).valid).toBe(true);
    expect(v.validateResponse("POST", "/things/search", 200, { id: "1" }).valid).toBe(false);
    expect(() => v.validateResponse("GET", "/things/abc", 404, {})).toThrow(/no 404 response/);
    expect(() => v.validateResponse("DELETE", "/things/abc", 200, {})).toThrow(/no operation DELETE/);
    expect(v.compiledCount()).toBe(2);
  });

  it("validates request bodies", () => {
    const v = createOfficialValidator("2.15", { document: madeUp });
    expect(v.validateRequest("POST", "/things/search", { q: "x" }).valid).toBe(true);
    expect(v.validateRequest("POST", "/things/search", null).valid).toBe(true);
    expect(v.validateRequest("POST", "/things/search", { q: 1 }).errors).toContain("/q must be string");
    expect(v.validateRequest("POST", "/things/search", {}).errors).toContain("/ must have required property 'q'");
    expect(() => v.validateRequest("GET", "/things/1", {})).toThrow(/no JSON request body for GET \/things\/\{id\}/);
  });

  it("drops only relative-url uri-format errors, and counts them", () => {
    const strict = createOfficialValidator("2.15", { document: madeUp });
    expect(strict.validate("thing", { url: "/things/1" }).valid).toBe(false);
    const lenient = createOfficialValidator("2.15", { document: madeUp, ignoreRelativeUrls: true });
    expect(lenient.validate("thing", { url: "/things/1" })).toEqual({ valid: true, errors: [], ignored: 1 });
    // not relative: still an error
    expect(lenient.validate("thing", { url: "not a uri" }).valid).toBe(false);
    // a relative string where another keyword fails is kept
    expect(lenient.validate("thing", { id: "/x", url: 5 }).errors).toEqual(["/url must be string"]);
    expect(lenient.ignoredCount()).toBe(1);
  });

  it("dropRelativeUriErrors keeps errors it does not recognise", () => {
    const ajv = new Ajv({ verbose: true, allErrors: true });
    ajv.addFormat("uri", /^[a-z]+:/);
    const validate = ajv.compile({ type: "array", items: { type: "string", format: "uri" } });
    validate(["/a", "b", "http://x"]);
    expect(validate.errors).toHaveLength(2);
    expect(dropRelativeUriErrors(validate.errors ?? []).map((e) => e.instancePath)).toEqual(["/1"]);
  });
});

describe("the official 2.15 description", () => {
  const v = createOfficialValidator("2.15", { ignoreRelativeUrls: true });

  it("compiles every component schema after the fix-ups, with zero failures", () => {
    const { compiled, failures } = v.compileAll();
    expect(failures).toEqual([]);
    expect(compiled).toBeGreaterThan(200);
    expect(compiled).toBe(Object.keys((v.document.components as { schemas: object }).schemas).length);
    expect(v.compiledCount()).toBeGreaterThanOrEqual(compiled);
    expect(v.fixups.refWithNullable).toBeGreaterThan(0);
  });

  it("would not compile without the fix-ups (so the fixes are doing work)", () => {
    const doc = loadOfficialDescription("2.15");
    const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true, logger: false });
    ajv.addFormat("timestamp", true);
    ajv.addFormat("uri", true);
    ajv.addFormat("date-time", true);
    ajv.addFormat("uuid", true);
    ajv.addFormat("email", true);
    ajv.addSchema({ $id: "raw", components: doc.components });
    let failed = 0;
    for (const name of Object.keys((doc.components as { schemas: object }).schemas)) {
      try {
        ajv.getSchema(`raw#/components/schemas/${name}`);
      } catch {
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(0);
  });

  it("validates a contact response of GET /contacts/{id} (inline allOf contact + enabled_push_messaging)", () => {
    const contact = {
      type: "contact",
      id: "6",
      role: "user",
      owner_id: null,
      enabled_push_messaging: true,
      tags: { type: "list", data: [], url: "/contacts/6/tags", total_count: 0, has_more: false },
    };
    const ok = v.validateResponse("GET", "/contacts/6", 200, contact);
    expect(ok).toEqual({ valid: true, errors: [], ignored: 1 });
    const bad = v.validateResponse("GET", "/contacts/6", 200, { ...contact, owner_id: "7", enabled_push_messaging: 1 });
    expect(bad.errors).toEqual(["/owner_id must be integer", "/enabled_push_messaging must be boolean"]);
    expect(v.validateResponse("PUT", "/contacts/6", 401, { type: "error.list", errors: [{ code: "x" }] }).valid).toBe(
      true,
    );
    expect(v.validateResponse("PUT", "/contacts/6", 401, { type: "error.list" }).valid).toBe(false);
    expect(v.validateRequest("PUT", "/contacts/6", { unsubscribed_from_emails: false, owner_id: null }).valid).toBe(
      true,
    );
    expect(v.validateRequest("PUT", "/contacts/6", { owner_id: "7" }).errors).toContain("/owner_id must be integer");
    expect(v.validateRequest("POST", "/contacts/6/companies", {}).valid).toBe(false);
  });
});
