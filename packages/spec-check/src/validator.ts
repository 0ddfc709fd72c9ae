import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import { emptyFixupReport, type FixupReport, fixSchemasForAjv } from "./fixups.js";
import { isObject, type JsonObject } from "./json.js";
import { type LocateOptions, loadOfficialDescription, type OfficialVersion, type OpenApiDocument } from "./locate.js";

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats: FormatsPlugin =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ?? (formatsModule as unknown as FormatsPlugin);

const SCHEMA_ID = "intercom";

export interface ValidationOutcome {
  valid: boolean;
  /** One line per violation: `<instance path> <message>`. */
  errors: string[];
  /** How many expected relative-URL violations were dropped (only with ignoreRelativeUrls). */
  ignored: number;
}

export interface OfficialValidatorOptions extends LocateOptions {
  /**
   * Drop the one known, expected violation: a relative `url` value (starting with "/", as the real API and the
   * official examples send) against `format: uri`. Nothing else is dropped; every drop is counted in `ignored`.
   */
  ignoreRelativeUrls?: boolean;
  /** Use this document instead of loading the local copy of `version` (tests feed small made-up documents). */
  document?: OpenApiDocument;
}

export interface OfficialValidator {
  readonly version: OfficialVersion;
  /** The official document as loaded (unfixed). */
  readonly document: OpenApiDocument;
  /** What the in-memory fix-ups changed before compiling. */
  readonly fixups: FixupReport;
  /** Validates `value` against `#/components/schemas/<schemaName>`; throws if the schema is unknown or does not compile. */
  validate(schemaName: string, value: unknown): ValidationOutcome;
  /** Validates a response body against the official response schema of `method path status` (template or concrete path). */
  validateResponse(method: string, path: string, status: number | string, body: unknown): ValidationOutcome;
  /** Validates a request body against the official request schema of `method path` (template or concrete path). */
  validateRequest(method: string, path: string, body: unknown): ValidationOutcome;
  /** How many schemas this validator has compiled so far (named and inline). */
  compiledCount(): number;
  /** Compiles the named component schemas; throws listing every one that is unknown or fails to compile. */
  assertCompiled(names: readonly string[]): void;
  /** Compiles every component schema and reports failures (nothing is swallowed). */
  compileAll(): { compiled: number; failures: { name: string; error: string }[] };
  /** Total relative-URL violations dropped so far by this validator. */
  ignoredCount(): number;
}

/**
 * Builds an Ajv validator over the official description's component schemas, after the in-memory fix-ups that
 * make them compile. Everything it caches lives in the returned object.
 */
export function createOfficialValidator(
  version: OfficialVersion,
  options: OfficialValidatorOptions = {},
): OfficialValidator {
  const document = options.document ?? loadOfficialDescription(version, options);
  const fixups = emptyFixupReport();
  const components = fixSchemasForAjv(isObject(document.components) ? document.components : {}, fixups).value;
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true, verbose: true });
  addFormats(ajv);
  ajv.addFormat("timestamp", true);
  ajv.addSchema({ $id: SCHEMA_ID, components }, SCHEMA_ID);

  const named = new Map<string, ValidateFunction>();
  const inline = new Map<string, ValidateFunction>();
  let ignoredTotal = 0;

  function compileNamed(name: string): ValidateFunction {
    const cached = named.get(name);
    if (cached) return cached;
    if (!Object.hasOwn(schemas, name)) {
      throw new Error(`The official ${version} description has no component schema named ${JSON.stringify(name)}`);
    }
    let fn: ValidateFunction | undefined;
    try {
      fn = ajv.getSchema(`${SCHEMA_ID}#/components/schemas/${name}`);
    } catch (error) {
      throw new Error(`Schema ${name} (${version}) does not compile: ${(error as Error).message}`);
    }
    if (!fn) throw new Error(`Schema ${name} (${version}) could not be compiled`);
    named.set(name, fn);
    return fn;
  }

  function run(fn: ValidateFunction, value: unknown): ValidationOutcome {
    const valid = fn(value) as boolean;
    if (valid) return { valid: true, errors: [], ignored: 0 };
    const all = fn.errors ?? [];
    const kept = options.ignoreRelativeUrls ? dropRelativeUriErrors(all) : all;
    const ignored = all.length - kept.length;
    ignoredTotal += ignored;
    return { valid: kept.length === 0, errors: kept.map(formatError), ignored };
  }

  function compileInline(key: string, schemaSource: unknown): ValidateFunction {
    const cached = inline.get(key);
    if (cached) return cached;
    const schema = rewriteRefs(fixSchemasForAjv(schemaSource, fixups).value);
    let fn: ValidateFunction;
    try {
      fn = ajv.compile(isObject(schema) ? schema : {});
    } catch (error) {
      throw new Error(`Schema of ${key} (${version}) does not compile: ${(error as Error).message}`);
    }
    inline.set(key, fn);
    return fn;
  }

  function compileRequest(method: string, path: string): ValidateFunction {
    const op = findOperation(document, method, path);
    const label = `${op.method.toUpperCase()} ${op.template}`;
    const key = `${label} request`;
    const cached = inline.get(key);
    if (cached) return cached;
    let body = op.operation.requestBody;
    if (isObject(body) && typeof body.$ref === "string") body = resolveLocal(document, body.$ref);
    const content = isObject(body) && isObject(body.content) ? body.content : {};
    const media = content["application/json"];
    if (!isObject(media) || media.schema === undefined) {
      throw new Error(`The official ${version} description declares no JSON request body for ${label}`);
    }
    return compileInline(key, media.schema);
  }

  function compileResponse(method: string, path: string, status: number | string): ValidateFunction {
    const op = findOperation(document, method, path);
    const label = `${op.method.toUpperCase()} ${op.template}`;
    const key = `${label} ${status}`;
    const cached = inline.get(key);
    if (cached) return cached;
    const responses = isObject(op.operation.responses) ? op.operation.responses : {};
    let response = responses[String(status)] ?? responses.default;
    if (isObject(response) && typeof response.$ref === "string") response = resolveLocal(document, response.$ref);
    if (!isObject(response)) {
      throw new Error(`The official ${version} description declares no ${status} response for ${label}`);
    }
    const content = isObject(response.content) ? response.content : {};
    const media = content["application/json"] ?? Object.values(content)[0];
    if (!isObject(media) || media.schema === undefined) {
      throw new Error(`The official ${status} response of ${label} has no JSON schema`);
    }
    return compileInline(key, media.schema);
  }

  return {
    version,
    document,
    fixups,
    validate: (schemaName, value) => run(compileNamed(schemaName), value),
    validateResponse: (method, path, status, body) => run(compileResponse(method, path, status), body),
    validateRequest: (method, path, body) => run(compileRequest(method, path), body),
    compiledCount: () => named.size + inline.size,
    assertCompiled(names) {
      const problems: string[] = [];
      for (const name of names) {
        try {
          compileNamed(name);
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
      if (problems.length > 0) throw new Error(`Schemas did not compile:\n${problems.join("\n")}`);
    },
    compileAll() {
      const failures: { name: string; error: string }[] = [];
      for (const name of Object.keys(schemas)) {
        try {
          compileNamed(name);
        } catch (error) {
          failures.push({ name, error: (error as Error).message });
        }
      }
      return { compiled: named.size, failures };
    },
    ignoredCount: () => ignoredTotal,
  };
}

/**
 * Drops only the known violation: keyword `format`, format `uri`, on a string value starting with "/"
 * (relative URLs such as `/contacts/x/tags`). Needs errors produced with Ajv's `verbose: true` (for `data`).
 */
export function dropRelativeUriErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter(
    (e) =>
      !(e.keyword === "format" && e.params.format === "uri" && typeof e.data === "string" && e.data.startsWith("/")),
  );
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath === "" ? "/" : e.instancePath;
  const extra =
    e.keyword === "enum"
      ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
      : e.keyword === "additionalProperties"
        ? ` (${JSON.stringify((e.params as { additionalProperty?: unknown }).additionalProperty)})`
        : "";
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

/** `#/components/...` -> `intercom#/components/...`, so inline schemas compile against the added components. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith("#/")
        ? `${SCHEMA_ID}${value}`
        : rewriteRefs(value);
  }
  return out;
}

function resolveLocal(doc: OpenApiDocument, ref: string): unknown {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, "").split("/")) {
    if (!isObject(node)) return undefined;
    node = node[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Finds an operation by template (`/contacts/{contact_id}`) or concrete path (`/contacts/123`). */
export function findOperation(
  doc: OpenApiDocument,
  method: string,
  path: string,
): { method: string; template: string; operation: JsonObject } {
  const m = method.toLowerCase();
  if (!METHODS.includes(m)) throw new Error(`Unknown HTTP method ${JSON.stringify(method)}`);
  const paths = isObject(doc.paths) ? doc.paths : {};
  const bare = path.split("?")[0] ?? path;
  const candidates: string[] = [];
  if (Object.hasOwn(paths, bare)) candidates.push(bare);
  for (const template of Object.keys(paths)) {
    if (template !== bare && templateMatches(template, bare)) candidates.push(template);
  }
  // Prefer the template with the most literal segments (/contacts/search over /contacts/{contact_id}).
  candidates.sort((a, b) => literalCount(b) - literalCount(a));
  for (const template of candidates) {
    const item = paths[template];
    if (isObject(item) && isObject(item[m])) return { method: m, template, operation: item[m] as JsonObject };
  }
  throw new Error(`The official description has no operation ${m.toUpperCase()} ${bare}`);
}

function templateMatches(template: string, path: string): boolean {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return false;
  return t.every((seg, i) => (seg.startsWith("{") && seg.endsWith("}") ? (p[i] ?? "") !== "" : seg === p[i]));
}

function literalCount(template: string): number {
  return template.split("/").filter((s) => s !== "" && !s.startsWith("{")).length;
}
