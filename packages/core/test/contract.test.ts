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

type Version = "2.15" | "2.16";
const VERSIONS: Version[] = ["2.15", "2.16"];
const FRAGMENT_FILES: Record<Version, string> = {
  "2.15": join(root, "specs", "intercom-update-user.yaml"),
  "2.16": join(root, "specs", "intercom-update-user-2.16.yaml"),
};
const SHA256: Record<Version, string> = {
  "2.15": "4449d328089630f6e4472c4ac36e284a029f191ac62518791de28057709bdbc0",
  "2.16": "212b09336bf561992d998e6650d4eaacb44aa0a0f02504e398cf10f1cfb9d238",
};

// biome-ignore lint/suspicious/noExplicitAny: the tests walk and mutate untyped OpenAPI documents
type Loose = Record<string, any>;

// Loaded inside each test (not in beforeAll): a missing reference then FAILS every test instead of skipping them.
const cache = new Map<Version, { fragment: Loose; official: OpenApiDocument }>();
function docs(version: Version = "2.15"): { fragment: Loose; official: OpenApiDocument } {
  let entry = cache.get(version);
  if (!entry) {
    entry = { fragment: loadOpenApiFile(FRAGMENT_FILES[version]), official: loadOfficialDescription(version) };
    cache.set(version, entry);
  }
  return entry;
}

/** The operations intercom-kit uses, with the official operationIds (the same in 2.15 and 2.16). */
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
  "GET /companies/{company_id}": "RetrieveACompanyById",
  "GET /companies": "retrieveCompany",
  "GET /data_attributes": "lisDataAttributes",
  "POST /data_attributes": "createDataAttribute",
  "GET /tags": "listTags",
  "POST /tags": "createTag",
  "POST /contacts/{contact_id}/tags": "attachTagToContact",
  "DELETE /contacts/{contact_id}/tags/{tag_id}": "detachTagFromContact",
  "POST /contacts/{contact_id}/archive": "ArchiveContact",
  "POST /contacts/{contact_id}/unarchive": "UnarchiveContact",
  "GET /admins": "listAdmins",
};

/** Deliberate differences from the official description present in both fragments (specs/README.md says why). */
const SHARED_ADDITIONS = [
  "#/components/responses/BadRequestUndeclared",
  "#/components/responses/Conflict",
  "#/components/responses/NotFound",
  "#/components/responses/UnauthorizedUndeclared",
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
const EXPECTED_ADDITIONS: Record<Version, string[]> = {
  // 2.16 declares the 410 of merged contacts; 2.15 does not, though Intercom serves it there too.
  "2.15": [...SHARED_ADDITIONS, "#/components/responses/Merged"],
  "2.16": SHARED_ADDITIONS,
};

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
function recordedSha256(version: Version): string {
  const readme = readFileSync(join(root as string, "specs", "README.md"), "utf8");
  const escaped = version.replace(".", "\\.");
  const match = new RegExp(`intercom-api-${escaped}\\.yaml[^\\n]*?\\b([0-9a-f]{64})\\b`).exec(readme);
  if (!match?.[1]) throw new Error(`specs/README.md does not record the sha256 of intercom-api-${version}.yaml`);
  return match[1];
}

describe.each(VERSIONS)("the local copy of the official %s description", (version) => {
  it("is the file recorded in specs/README.md (sha256), so we know what we compare against", () => {
    const bytes = readFileSync(officialDescriptionPath(version));
    expect(recordedSha256(version)).toBe(SHA256[version]);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(recordedSha256(version));
  });
});

describe.each(VERSIONS)("the %s fragment against the official description of its version", (version) => {
  it("has zero discrepancies", () => {
    const { fragment, official } = docs(version);
    expect(fragment.info.version).toBe(version);
    const { discrepancies } = compareFragment(fragment, official);
    expect(discrepancies).toEqual([]);
  });

  it("declares exactly the additions we expect, each with a reason", () => {
    const { fragment, official } = docs(version);
    const { additions } = compareFragment(fragment, official);
    const expected = EXPECTED_ADDITIONS[version];
    expect(additions.map((a) => a.at).sort()).toEqual([...expected].sort());
    for (const addition of additions) expect(addition.note.length, addition.at).toBeGreaterThan(20);
    // The fragment's name for the official inline contact schema excuses nothing: it matches.
    expect(additions.find((a) => a.at === "#/components/schemas/contact_with_push")?.excuses).toEqual([]);
    expect(additions.filter((a) => a.excuses.length > 0)).toHaveLength(expected.length - 1);
  });

  it("covers exactly the operations intercom-kit uses, with the official operationIds", () => {
    const { fragment, official } = docs(version);
    const ops = operationsOf(fragment);
    expect(ops.map((o) => o.key).sort()).toEqual(Object.keys(OPERATIONS).sort());
    for (const { key, path, method, op } of ops) {
      expect(op.operationId, key).toBe(OPERATIONS[key]);
      expect(op.operationId, key).toBe((official as Loose).paths[path][method].operationId);
    }
  });

  it("answers every error status with the error schema, and 401 everywhere", () => {
    const { fragment } = docs(version);
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
    expect(errors).toBeGreaterThanOrEqual(40);
  });

  it("carries every field of the official update_contact_request, with the official types", () => {
    const { fragment, official } = docs(version);
    const ours = resolve(
      fragment,
      fragment.paths["/contacts/{contact_id}"].put.requestBody.content["application/json"].schema,
    );
    // The official body is `oneOf: [update_contact_request]`.
    const theirs = resolve(
      official as Loose,
      (official as Loose).paths["/contacts/{contact_id}"].put.requestBody.content["application/json"].schema.oneOf[0],
    );
    expect(Object.keys(ours.properties).sort()).toEqual(Object.keys(theirs.properties).sort());
    expect(ours.properties.owner_id.type).toBe(version === "2.15" ? "integer" : "string");
    expect("email_verified" in ours.properties).toBe(version === "2.16");
  });

  it(`sends Intercom-Version (default ${version}) on every operation`, () => {
    const { fragment } = docs(version);
    for (const { key, op } of operationsOf(fragment)) {
      const header = (op.parameters as Loose[])
        .map((p) => resolve(fragment, p))
        .find((p) => p.in === "header" && p.name === "Intercom-Version");
      expect(header, key).toBeDefined();
      const schema = resolve(fragment, header?.schema);
      expect(schema.default, key).toBe(version);
      expect(schema.enum, key).toContain(version);
    }
  });

  it("declares the three regional servers and bearer auth", () => {
    const { fragment } = docs(version);
    expect(fragment.servers.map((s: Loose) => s.url)).toEqual([
      "https://api.intercom.io",
      "https://api.eu.intercom.io",
      "https://api.au.intercom.io",
    ]);
    expect(fragment.security).toEqual([{ bearerAuth: [] }]);
    expect(fragment.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer" });
  });

  it("compiles as JSON Schema (so the sandbox can validate with it too)", () => {
    const { fragment } = docs(version);
    const validator = createOfficialValidator(version, { document: fragment });
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

  mutations.push(
    [
      "create_data_attribute_request accepts a data type Intercom does not",
      {
        mutate: (f) => {
          f.components.schemas.create_data_attribute_request.oneOf[1].properties.data_type.enum.push("json");
        },
        want: "enum #/components/schemas/create_data_attribute_request/oneOf/1/properties/data_type",
      },
    ],
    [
      "POST /tags loses an alternative of its body",
      {
        mutate: (f) => {
          f.paths["/tags"].post.requestBody.content["application/json"].schema = {
            $ref: "#/components/schemas/create_or_update_tag_request",
          };
        },
        want: "type #/components/schemas/create_or_update_tag_request",
      },
    ],
    [
      "archive declares a status without saying why",
      {
        mutate: (f) => {
          f.paths["/contacts/{contact_id}/archive"].post.responses["409"] = {
            $ref: "#/components/responses/Unauthorized",
          };
        },
        want: "response-missing #/components/responses/Unauthorized",
      },
    ],
    [
      "an admin's away_status_reason_id stops being nullable",
      {
        mutate: (f) => {
          delete f.components.schemas.admin.properties.away_status_reason_id.nullable;
        },
        want: "nullable #/components/schemas/admin/properties/away_status_reason_id",
      },
    ],
  );

  it.each(mutations)("when %s", (_name, { mutate, want }) => {
    const { fragment, official } = docs();
    const copy = structuredClone(fragment);
    mutate(copy);
    const { discrepancies } = compareFragment(copy, official);
    expect(discrepancies.map((d) => `${d.kind} ${d.at}`)).toContain(want);
  });

  it("the 2.15 fragment against 2.16 shows exactly what 2.16 changed in these operations", () => {
    const { fragment } = docs("2.15");
    const { discrepancies } = compareFragment(fragment, docs("2.16").official);
    expect(discrepancies.map((d) => `${d.kind} ${d.at}`).sort()).toEqual([
      "enum #/paths/~1data_attributes/get/parameters/1/schema",
      "response-missing #/components/responses/NotFoundDeclared",
      "response-uncovered #/paths/~1data_attributes/get/responses",
      "type #/components/schemas/contact/properties/owner_id",
      "type #/components/schemas/update_contact_request/properties/owner_id",
    ]);
  });

  it("and the 2.16 fragment against 2.15 shows exactly what 2.15 lacks", () => {
    const { fragment } = docs("2.16");
    const { discrepancies } = compareFragment(fragment, docs("2.15").official);
    expect([...new Set(discrepancies.map((d) => `${d.kind} ${d.at}`))].sort()).toEqual([
      "enum #/components/schemas/intercom_version",
      "parameter-missing #/components/parameters/include_merge_history",
      "property-missing #/components/schemas/admin/properties/role",
      "property-missing #/components/schemas/company/properties/notes",
      "property-missing #/components/schemas/contact/properties/merge_history",
      "property-missing #/components/schemas/contact_search_request/properties/sort",
      "property-missing #/components/schemas/create_or_update_company_request/properties/update_last_request_at",
      "property-missing #/components/schemas/tag_create_response/allOf/1/properties/companies",
      "property-missing #/components/schemas/tag_create_response/allOf/1/properties/users",
      "property-missing #/components/schemas/update_contact_request/properties/email_verified",
      "response-missing #/components/responses/BadRequest",
      "response-missing #/components/responses/Merged",
      "response-missing #/components/responses/UnprocessableEntity",
      "response-uncovered #/paths/~1tags/post/responses",
      "type #/components/schemas/contact/properties/owner_id",
      "type #/components/schemas/update_contact_request/properties/owner_id",
    ]);
  });
});
