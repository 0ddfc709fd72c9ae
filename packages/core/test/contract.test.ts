import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  compareFragment,
  createOfficialValidator,
  findRepoRoot,
  loadOfficialDescription,
  loadOpenApiFile,
  type OpenApiDocument,
  officialDescriptionPath,
} from "@intercom-kit/spec-check";
import { describe, expect, it } from "vitest";

// No skips: if the official description cannot be found, loading throws and every test here fails.
const root = findRepoRoot();
if (!root) throw new Error("contract tests must run inside the intercom-kit repo (no pnpm-workspace.yaml found)");
const fragmentFile = join(root, "specs", "intercom-update-user.yaml");

// biome-ignore lint/suspicious/noExplicitAny: the tests walk and mutate untyped OpenAPI documents
type Loose = Record<string, any>;

// Loaded inside each test (not in beforeAll): a missing reference then FAILS every test instead of skipping them.
let cache: { fragment: Loose; official: OpenApiDocument } | undefined;
function docs(): { fragment: Loose; official: OpenApiDocument } {
  cache ??= { fragment: loadOpenApiFile(fragmentFile), official: loadOfficialDescription("2.15") };
  return cache;
}

/** The nine operations of "update a user", with the official operationIds. */
const OPERATIONS: Record<string, string> = {
  "GET /contacts/{contact_id}": "ShowContact",
  "PUT /contacts/{contact_id}": "UpdateContact",
  "GET /contacts/find_by_external_id/{external_id}": "ShowContactByExternalId",
  "POST /contacts/search": "SearchContacts",
  "POST /companies": "createOrUpdateCompany",
  "POST /contacts/{contact_id}/companies": "attachContactToACompany",
  "GET /contacts/{contact_id}/companies": "listCompaniesForAContact",
  "GET /contacts/{contact_id}/tags": "listTagsForAContact",
  "GET /contacts/{contact_id}/segments": "listSegmentsForAContact",
};

/** Every deliberate difference from the official 2.15 description (specs/README.md says why). */
const EXPECTED_ADDITIONS = [
  "#/components/responses/BadRequestUndeclared",
  "#/components/responses/Conflict",
  "#/components/responses/Merged",
  "#/components/responses/NotFound",
  "#/components/schemas/contact/properties/referrer",
  "#/components/schemas/contact/properties/utm_campaign",
  "#/components/schemas/contact/properties/utm_content",
  "#/components/schemas/contact/properties/utm_medium",
  "#/components/schemas/contact/properties/utm_source",
  "#/components/schemas/contact/properties/utm_term",
  "#/components/schemas/contact_attached_companies/properties/data",
  "#/components/schemas/contact_location/properties/continent_code",
  "#/components/schemas/contact_location/properties/country_code",
  "#/components/schemas/contact_with_push",
  "#/components/schemas/update_contact_request/properties/custom_attributes/additionalProperties",
  "#/paths/~1contacts~1{contact_id}~1companies/get/parameters/2",
  "#/paths/~1contacts~1{contact_id}~1companies/get/parameters/3",
];

const METHODS = ["get", "put", "post", "delete", "patch"];

function operationsOf(doc: Loose): { key: string; path: string; method: string; op: Loose }[] {
  const out: { key: string; path: string; method: string; op: Loose }[] = [];
  for (const [path, item] of Object.entries<Loose>(doc.paths ?? {})) {
    for (const method of METHODS) {
      if (item[method]) out.push({ key: `${method.toUpperCase()} ${path}`, path, method, op: item[method] });
    }
  }
  return out;
}

function resolve(doc: Loose, node: Loose): Loose {
  let current = node;
  while (current && typeof current.$ref === "string") {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((n: Loose, part: string) => n?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return current;
}

/** specs/README.md is where the provenance is recorded; the test reads it from there. */
function recordedSha256(): string {
  const readme = readFileSync(join(root as string, "specs", "README.md"), "utf8");
  const match = /intercom-api-2\.15\.yaml[^\n]*?\b([0-9a-f]{64})\b/.exec(readme);
  if (!match?.[1]) throw new Error("specs/README.md does not record the sha256 of intercom-api-2.15.yaml");
  return match[1];
}

describe("the local copy of the official description", () => {
  it("is the file recorded in specs/README.md (sha256), so we know what we compare against", () => {
    const bytes = readFileSync(officialDescriptionPath("2.15"));
    expect(recordedSha256()).toBe("4449d328089630f6e4472c4ac36e284a029f191ac62518791de28057709bdbc0");
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(recordedSha256());
  });
});

describe("specs/intercom-update-user.yaml against the official 2.15 description", () => {
  it("has zero discrepancies", () => {
    const { fragment, official } = docs();
    const { discrepancies } = compareFragment(fragment, official);
    expect(discrepancies).toEqual([]);
  });

  it("declares exactly the additions we expect, each with a reason", () => {
    const { fragment, official } = docs();
    const { additions } = compareFragment(fragment, official);
    expect(additions.map((a) => a.at).sort()).toEqual([...EXPECTED_ADDITIONS].sort());
    for (const addition of additions) expect(addition.note.length, addition.at).toBeGreaterThan(20);
    // The fragment's name for the official inline contact schema excuses nothing: it matches.
    expect(additions.find((a) => a.at === "#/components/schemas/contact_with_push")?.excuses).toEqual([]);
    expect(additions.filter((a) => a.excuses.length > 0)).toHaveLength(EXPECTED_ADDITIONS.length - 1);
  });

  it("covers exactly the nine operations of the action, with the official operationIds", () => {
    const { fragment, official } = docs();
    const ops = operationsOf(fragment);
    expect(ops.map((o) => o.key).sort()).toEqual(Object.keys(OPERATIONS).sort());
    for (const { key, path, method, op } of ops) {
      expect(op.operationId, key).toBe(OPERATIONS[key]);
      expect(op.operationId, key).toBe((official as Loose).paths[path][method].operationId);
    }
  });

  it("answers every error status with the error schema", () => {
    const { fragment } = docs();
    let errors = 0;
    for (const { key, op } of operationsOf(fragment)) {
      for (const [status, raw] of Object.entries<Loose>(op.responses)) {
        if (Number(status) < 400) continue;
        const response = resolve(fragment, raw);
        expect(response.content["application/json"].schema, `${key} ${status}`).toEqual({
          $ref: "#/components/schemas/error",
        });
        errors++;
      }
      expect(op.responses["401"], `${key} 401`).toBeDefined();
    }
    expect(errors).toBeGreaterThanOrEqual(20);
  });

  it("sends Intercom-Version (default 2.15) on every operation", () => {
    const { fragment } = docs();
    for (const { key, op } of operationsOf(fragment)) {
      const header = (op.parameters as Loose[])
        .map((p) => resolve(fragment, p))
        .find((p) => p.in === "header" && p.name === "Intercom-Version");
      expect(header, key).toBeDefined();
      const schema = resolve(fragment, header?.schema);
      expect(schema.default, key).toBe("2.15");
      expect(schema.enum, key).toContain("2.15");
    }
  });

  it("declares the three regional servers and bearer auth", () => {
    const { fragment } = docs();
    expect(fragment.servers.map((s: Loose) => s.url)).toEqual([
      "https://api.intercom.io",
      "https://api.eu.intercom.io",
      "https://api.au.intercom.io",
    ]);
    expect(fragment.security).toEqual([{ bearerAuth: [] }]);
    expect(fragment.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer" });
  });

  it("compiles as JSON Schema (so the sandbox can validate with it too)", () => {
    const { fragment } = docs();
    const validator = createOfficialValidator("2.15", { document: fragment });
    const { compiled, failures } = validator.compileAll();
    expect(failures).toEqual([]);
    expect(compiled).toBe(Object.keys(fragment.components.schemas).length);
  });
});

describe("the comparison can fail", () => {
  const mutations: [string, { mutate: (f: Loose) => void; want: string }][] = [
    [
      "contact.owner_id becomes a string",
      {
        mutate: (f) => {
          f.components.schemas.contact.properties.owner_id.type = "string";
        },
        want: "type #/components/schemas/contact/properties/owner_id",
      },
    ],
    [
      "a marker is removed from an addition",
      {
        mutate: (f) => {
          delete f.components.schemas.contact.properties.referrer["x-intercom-kit-not-in-official"];
        },
        want: "property-missing #/components/schemas/contact/properties/referrer",
      },
    ],
    [
      "update_contact_request gains a field the official schema lacks",
      {
        mutate: (f) => {
          f.components.schemas.update_contact_request.properties.companies = { type: "array" };
        },
        want: "property-missing #/components/schemas/update_contact_request/properties/companies",
      },
    ],
    [
      "the search operator enum gains a value",
      {
        mutate: (f) => {
          f.components.schemas.single_filter_search_request.properties.operator.enum.push("LIKE");
        },
        want: "enum #/components/schemas/single_filter_search_request/properties/operator",
      },
    ],
    [
      "an operationId is renamed",
      {
        mutate: (f) => {
          f.paths["/contacts/{contact_id}"].put.operationId = "updateContact";
        },
        want: "operation-id #/paths/~1contacts~1{contact_id}/put/operationId",
      },
    ],
  ];

  it.each(mutations)("when %s", (_name, { mutate, want }) => {
    const { fragment, official } = docs();
    const copy = structuredClone(fragment);
    mutate(copy);
    const { discrepancies } = compareFragment(copy, official);
    expect(discrepancies.map((d) => `${d.kind} ${d.at}`)).toContain(want);
  });

  it("and 2.16 shows exactly its known breaking change (owner_id is a string there)", () => {
    const { fragment } = docs();
    const { discrepancies } = compareFragment(fragment, loadOfficialDescription("2.16"));
    expect(discrepancies.map((d) => `${d.kind} ${d.at}`).sort()).toEqual([
      "type #/components/schemas/contact/properties/owner_id",
      "type #/components/schemas/update_contact_request/properties/owner_id",
    ]);
  });
});
