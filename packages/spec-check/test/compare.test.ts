import { describe, expect, it } from "vitest";
import { compareFragment } from "../src/compare.js";

// biome-ignore lint/suspicious/noExplicitAny: the tests edit made-up documents at arbitrary depths
type Loose = Record<string, any>;

/** A tiny "official" description in the shape of Intercom's (inline allOf response, $ref'd schemas). */
function official() {
  return {
    openapi: "3.0.1",
    servers: [
      { url: "https://api.intercom.io" },
      { url: "https://api.eu.intercom.io" },
      { url: "https://api.au.intercom.io" },
    ],
    security: [{ bearerAuth: [] }],
    paths: {
      "/things/{id}": {
        get: {
          operationId: "ShowThing",
          parameters: [
            { name: "Intercom-Version", in: "header", schema: { $ref: "#/components/schemas/version" } },
            { name: "id", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: {
                    allOf: [{ $ref: "#/components/schemas/thing" }],
                    properties: { pushed: { type: "boolean", nullable: true } },
                  },
                },
              },
            },
            "401": {
              description: "no",
              content: { "application/json": { schema: { $ref: "#/components/schemas/error" } } },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
      schemas: {
        version: { type: "string", enum: ["2.14", "2.15"] },
        thing: {
          type: "object",
          properties: {
            id: { type: "string" },
            owner_id: { type: "integer", nullable: true },
            kind: { type: "string", enum: ["a", "b"] },
            when: { type: "integer", format: "date-time" },
            child: { $ref: "#/components/schemas/thing" },
            custom: { type: "object" },
            value: {
              nullable: true,
              oneOf: [
                { type: "string", enum: ["x", "y"] },
                { type: "array", items: { type: "string" } },
              ],
            },
          },
        },
        error: {
          type: "object",
          required: ["type", "errors"],
          properties: {
            type: { type: "string" },
            errors: { type: "array", items: { properties: { code: { type: "string" } } } },
          },
        },
      },
    },
  };
}

/** The matching fragment: its own component names (`thing_with_push`, `item`), same structure. */
function fragment() {
  return {
    openapi: "3.0.1",
    servers: [
      { url: "https://api.intercom.io" },
      { url: "https://api.eu.intercom.io" },
      { url: "https://api.au.intercom.io" },
    ],
    security: [{ bearerAuth: [] }],
    paths: {
      "/things/{id}": {
        get: {
          operationId: "ShowThing",
          parameters: [
            { $ref: "#/components/parameters/version" },
            { name: "id", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/thing_with_push" } } },
            },
            "401": { $ref: "#/components/responses/Unauthorized" },
          },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
      parameters: { version: { name: "Intercom-Version", in: "header", schema: { type: "string", enum: ["2.15"] } } },
      responses: {
        Unauthorized: {
          description: "no",
          content: { "application/json": { schema: { $ref: "#/components/schemas/problem" } } },
        },
      },
      schemas: {
        thing_with_push: {
          allOf: [
            { $ref: "#/components/schemas/item" },
            { type: "object", properties: { pushed: { type: "boolean", nullable: true } } },
          ],
        },
        item: {
          type: "object",
          properties: {
            id: { type: "string" },
            owner_id: { type: "integer", nullable: true },
            kind: { type: "string", enum: ["a"] },
            when: { type: "integer", format: "date-time" },
            child: { $ref: "#/components/schemas/item" },
            value: {
              nullable: true,
              oneOf: [
                { type: "array", items: { type: "string" } },
                { type: "string", enum: ["x"] },
              ],
            },
          },
        },
        problem: {
          type: "object",
          required: ["type", "errors"],
          properties: {
            type: { type: "string" },
            errors: { type: "array", items: { type: "object", properties: { code: { type: "string" } } } },
          },
        },
      },
    },
  } as Loose;
}

function kinds(result: ReturnType<typeof compareFragment>) {
  return result.discrepancies.map((d) => `${d.kind} ${d.at}`);
}

describe("compareFragment", () => {
  it("finds nothing when the fragment matches (different component names, allOf vs inline allOf)", () => {
    expect(compareFragment(fragment(), official())).toEqual({ discrepancies: [], additions: [] });
  });

  const mutations: [string, { mutate: (f: Loose) => void; want: string }][] = [
    [
      "a wrong property type",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.owner_id.type = "string";
        },
        want: "type #/components/schemas/item/properties/owner_id",
      },
    ],
    [
      "a property missing from the official schema",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.nickname = { type: "string" };
        },
        want: "property-missing #/components/schemas/item/properties/nickname",
      },
    ],
    [
      "an extra enum value",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.kind.enum.push("c");
        },
        want: "enum #/components/schemas/item/properties/kind",
      },
    ],
    [
      "a wrong format",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.when.format = "int64";
        },
        want: "format #/components/schemas/item/properties/when",
      },
    ],
    [
      "a dropped nullable",
      {
        mutate: (f) => {
          delete f.components.schemas.thing_with_push.allOf[1].properties.pushed.nullable;
        },
        want: "nullable #/components/schemas/thing_with_push/allOf/1/properties/pushed",
      },
    ],
    [
      "a wrong type deep inside a recursive $ref",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.child = {
            type: "object",
            properties: { id: { type: "integer" } },
          };
        },
        want: "type #/components/schemas/item/properties/child/properties/id",
      },
    ],
    [
      "an extra required property",
      {
        mutate: (f) => {
          f.components.schemas.item.required = ["id"];
        },
        want: "required #/components/schemas/item",
      },
    ],
    [
      "a wrong operationId",
      {
        mutate: (f) => {
          f.paths["/things/{id}"].get.operationId = "GetThing";
        },
        want: "operation-id #/paths/~1things~1{id}/get/operationId",
      },
    ],
    [
      "a parameter the official operation lacks",
      {
        mutate: (f) => {
          f.paths["/things/{id}"].get.parameters.push({ name: "page", in: "query", schema: { type: "integer" } });
        },
        want: "parameter-missing #/paths/~1things~1{id}/get/parameters/2",
      },
    ],
    [
      "a path parameter no longer required",
      {
        mutate: (f) => {
          f.paths["/things/{id}"].get.parameters[1].required = false;
        },
        want: "parameter-required #/paths/~1things~1{id}/get/parameters/1",
      },
    ],
    [
      "a parameter schema with a value the official enum lacks",
      {
        mutate: (f) => {
          f.components.parameters.version.schema.enum = ["2.16"];
        },
        want: "enum #/components/parameters/version/schema",
      },
    ],
    [
      "an undeclared response",
      {
        mutate: (f) => {
          f.paths["/things/{id}"].get.responses["404"] = { $ref: "#/components/responses/Unauthorized" };
        },
        want: "response-missing #/components/responses/Unauthorized",
      },
    ],
    [
      "an official response left out",
      {
        mutate: (f) => {
          delete f.paths["/things/{id}"].get.responses["401"];
        },
        want: "response-uncovered #/paths/~1things~1{id}/get/responses",
      },
    ],
    [
      "a response without the official JSON body",
      {
        mutate: (f) => {
          delete f.components.responses.Unauthorized.content;
        },
        want: "media-type #/components/responses/Unauthorized",
      },
    ],
    [
      "a path the official description lacks",
      {
        mutate: (f) => {
          f.paths["/users"] = { post: { responses: {} } };
        },
        want: "path-missing #/paths/~1users",
      },
    ],
    [
      "a method the official description lacks",
      {
        mutate: (f) => {
          f.paths["/things/{id}"].delete = { responses: {} };
        },
        want: "operation-missing #/paths/~1things~1{id}/delete",
      },
    ],
    [
      "a missing regional server",
      {
        mutate: (f) => {
          f.servers.pop();
        },
        want: "servers #/servers",
      },
    ],
    [
      "a different security scheme",
      {
        mutate: (f) => {
          f.components.securitySchemes.bearerAuth = { type: "apiKey", in: "header", name: "X-Token" };
        },
        want: "security #/components/securitySchemes/bearerAuth",
      },
    ],
    [
      "an extra enum value inside a oneOf alternative",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.value.oneOf[1].enum.push("z");
        },
        want: "enum #/components/schemas/item/properties/value/oneOf/1",
      },
    ],
    [
      "a oneOf alternative of a type the official one lacks",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.value.oneOf[0].items.type = "integer";
        },
        want: "type #/components/schemas/item/properties/value/oneOf/0/items",
      },
    ],
    [
      "a oneOf where the official schema has a plain type",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.id = { oneOf: [{ type: "string" }, { type: "integer" }] };
        },
        want: "alternatives #/components/schemas/item/properties/id",
      },
    ],
    [
      "a constrained open object",
      {
        mutate: (f) => {
          f.components.schemas.item.properties.custom = { type: "object", additionalProperties: { type: "string" } };
        },
        want: "additional-properties #/components/schemas/item/properties/custom/additionalProperties",
      },
    ],
  ];

  it.each(mutations)("detects %s", (_name, { mutate, want }) => {
    const f = fragment();
    mutate(f);
    const result = compareFragment(f, official());
    expect(kinds(result)).toContain(want);
    expect(result.additions).toEqual([]);
  });

  it("classifies a marked addition as declared, not as a discrepancy, and says what it excuses", () => {
    const f = fragment();
    f.components.schemas.item.properties.nickname = {
      type: "string",
      "x-intercom-kit-not-in-official": "returned by the real API",
    };
    f.paths["/things/{id}"].get.parameters.push({
      name: "page",
      in: "query",
      "x-intercom-kit-not-in-official": "the SDK pages",
      schema: { type: "integer" },
    });
    const result = compareFragment(f, official());
    expect(result.discrepancies).toEqual([]);
    expect(result.additions).toEqual([
      {
        at: "#/paths/~1things~1{id}/get/parameters/2",
        marker: "x-intercom-kit-not-in-official",
        note: "the SDK pages",
        excuses: ["parameter-missing: GET /things/{id} parameter query:page is not in the official description"],
      },
      {
        at: "#/components/schemas/item/properties/nickname",
        marker: "x-intercom-kit-not-in-official",
        note: "returned by the real API",
        excuses: ["property-missing: property nickname is not in the official schema"],
      },
    ]);
  });

  it("a marker excuses only its own node, not what lies below it", () => {
    const f = fragment();
    f.components.schemas.thing_with_push["x-intercom-kit-name"] = "our name for the inline schema";
    f.components.schemas.item.properties.owner_id.type = "string";
    const result = compareFragment(f, official());
    expect(kinds(result)).toEqual(["type #/components/schemas/item/properties/owner_id"]);
    expect(result.additions.map((a) => [a.at, a.excuses])).toEqual([["#/components/schemas/thing_with_push", []]]);
  });

  it("never mutates its inputs", () => {
    const f = fragment();
    const o = official();
    const before = JSON.stringify([f, o]);
    compareFragment(f, o);
    expect(JSON.stringify([f, o])).toBe(before);
  });
});
