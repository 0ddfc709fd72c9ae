import { escapePointer, isObject, type JsonObject, resolvePointer } from "./json.js";
import type { OpenApiDocument } from "./locate.js";

/** Extensions starting with this prefix declare a deliberate difference from the official description. */
export const MARKER_PREFIX = "x-intercom-kit-";

export type DiscrepancyKind =
  | "servers"
  | "security"
  | "path-missing"
  | "operation-missing"
  | "operation-id"
  | "parameter-missing"
  | "parameter-required"
  | "parameter-uncovered"
  | "request-body"
  | "response-missing"
  | "response-uncovered"
  | "media-type"
  | "property-missing"
  | "type"
  | "format"
  | "nullable"
  | "enum"
  | "required"
  | "items"
  | "additional-properties"
  | "alternatives"
  | "unresolved-ref";

export interface Discrepancy {
  kind: DiscrepancyKind;
  /** Where in the fragment (a JSON pointer, `#/...`). */
  at: string;
  /** The official counterpart compared against, when there is one. */
  official?: string;
  message: string;
}

/** A fragment item carrying an `x-intercom-kit-*` marker: a deliberate, documented difference. */
export interface DeclaredAddition {
  /** JSON pointer of the node holding the marker. */
  at: string;
  /** The marker's name, e.g. `x-intercom-kit-not-in-official`. */
  marker: string;
  /** The marker's value (the reason). */
  note: string;
  /** The differences the marker excuses (empty when the marked item matches the official one where it is used). */
  excuses: string[];
}

export interface FragmentComparison {
  discrepancies: Discrepancy[];
  additions: DeclaredAddition[];
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
const REGIONAL_SERVERS = ["https://api.intercom.io", "https://api.eu.intercom.io", "https://api.au.intercom.io"];

/**
 * Compares a hand-written fragment with the official description. Everything the fragment names (servers,
 * security, paths, operations, parameters, request bodies, responses, schema properties, types, formats,
 * nullability, enums, required lists) must exist in the official description with the same meaning; schemas are
 * compared structurally, following `$ref`s on both sides, so the fragment's component names do not matter.
 * Differences at a node carrying an `x-intercom-kit-*` marker are reported as declared additions instead.
 */
export function compareFragment(fragment: OpenApiDocument, official: OpenApiDocument): FragmentComparison {
  const sink = new Sink();
  const ctx: Ctx = { fragment, official, sink, done: new Set(), stack: new Set() };
  compareServers(ctx);
  compareSecurity(ctx);
  const fPaths = isObject(fragment.paths) ? fragment.paths : {};
  const oPaths = isObject(official.paths) ? official.paths : {};
  for (const [path, fItem] of Object.entries(fPaths)) {
    if (!isObject(fItem)) continue;
    const at = `#/paths/${escapePointer(path)}`;
    const oItem = oPaths[path];
    if (!isObject(oItem)) {
      sink.report(chain(fItem, at), {
        kind: "path-missing",
        at,
        message: `path ${path} is not in the official description`,
      });
      continue;
    }
    for (const method of METHODS) {
      const fOp = fItem[method];
      if (!isObject(fOp)) continue;
      const opAt = `${at}/${method}`;
      const oOp = oItem[method];
      const label = `${method.toUpperCase()} ${path}`;
      if (!isObject(oOp)) {
        sink.report(chain(fOp, opAt), {
          kind: "operation-missing",
          at: opAt,
          message: `${label} is not in the official description`,
        });
        continue;
      }
      compareOperation(ctx, label, fOp, opAt, fItem, oOp, `#/paths/${escapePointer(path)}/${method}`, oItem);
    }
  }
  return sink.result();
}

interface Ctx {
  fragment: OpenApiDocument;
  official: OpenApiDocument;
  sink: Sink;
  /** Pairs (fragment pointer | official pointer) already compared. */
  done: Set<string>;
  /** Pairs being compared right now (recursive schemas). */
  stack: Set<string>;
}

/** Nodes (and their pointers) that can carry a marker for one location: the node as written and what it $refs. */
type Chain = { node: unknown; at: string }[];

function chain(node: unknown, at: string): Chain {
  return [{ node, at }];
}

function markerOf(links: Chain): { at: string; marker: string; note: string } | undefined {
  for (const { node, at } of links) {
    if (!isObject(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith(MARKER_PREFIX)) {
        return { at, marker: key, note: typeof value === "string" ? value : JSON.stringify(value) };
      }
    }
  }
  return undefined;
}

class Sink {
  private readonly discrepancies = new Map<string, Discrepancy>();
  private readonly additions = new Map<string, DeclaredAddition>();

  /** Records a marked node as a declared addition even when nothing differs there. */
  mark(links: Chain): void {
    const marker = markerOf(links);
    if (marker) this.addition(marker);
  }

  report(links: Chain, d: Discrepancy): void {
    const marker = markerOf(links);
    if (marker) {
      const addition = this.addition(marker);
      const line = `${d.kind}: ${d.message}`;
      if (!addition.excuses.includes(line)) addition.excuses.push(line);
      return;
    }
    const key = `${d.kind}|${d.at}|${d.message}`;
    if (!this.discrepancies.has(key)) this.discrepancies.set(key, d);
  }

  count(): number {
    return this.discrepancies.size;
  }

  excusedCount(): number {
    let n = 0;
    for (const a of this.additions.values()) n += a.excuses.length;
    return n;
  }

  result(): FragmentComparison {
    return { discrepancies: [...this.discrepancies.values()], additions: [...this.additions.values()] };
  }

  private addition(marker: { at: string; marker: string; note: string }): DeclaredAddition {
    let addition = this.additions.get(marker.at);
    if (!addition) {
      addition = { ...marker, excuses: [] };
      this.additions.set(marker.at, addition);
    }
    return addition;
  }
}

function compareServers(ctx: Ctx): void {
  const urls = (doc: OpenApiDocument) =>
    (Array.isArray(doc.servers) ? doc.servers : []).map((s) => (isObject(s) ? String(s.url) : ""));
  const fUrls = urls(ctx.fragment);
  const oUrls = urls(ctx.official);
  for (const url of fUrls) {
    if (!oUrls.includes(url)) {
      ctx.sink.report([], {
        kind: "servers",
        at: "#/servers",
        message: `server ${url} is not in the official description`,
      });
    }
  }
  for (const url of REGIONAL_SERVERS) {
    if (!fUrls.includes(url)) {
      ctx.sink.report([], { kind: "servers", at: "#/servers", message: `the regional server ${url} is missing` });
    }
  }
}

function compareSecurity(ctx: Ctx): void {
  const schemes = (doc: OpenApiDocument): JsonObject => {
    const components = isObject(doc.components) ? doc.components : {};
    return isObject(components.securitySchemes) ? components.securitySchemes : {};
  };
  const fSchemes = schemes(ctx.fragment);
  const oSchemes = schemes(ctx.official);
  const fSecurity = JSON.stringify(ctx.fragment.security ?? null);
  const oSecurity = JSON.stringify(ctx.official.security ?? null);
  if (fSecurity !== oSecurity) {
    ctx.sink.report([], {
      kind: "security",
      at: "#/security",
      message: `security ${fSecurity} differs from the official ${oSecurity}`,
    });
  }
  const bearer = Object.entries(fSchemes).find(([, s]) => isObject(s) && s.type === "http" && s.scheme === "bearer");
  if (!bearer) {
    ctx.sink.report([], {
      kind: "security",
      at: "#/components/securitySchemes",
      message: "no http bearer security scheme",
    });
  }
  for (const [name, scheme] of Object.entries(fSchemes)) {
    const o = oSchemes[name];
    const at = `#/components/securitySchemes/${escapePointer(name)}`;
    if (!isObject(o) || !isObject(scheme) || o.type !== scheme.type || o.scheme !== scheme.scheme) {
      ctx.sink.report(chain(scheme, at), {
        kind: "security",
        at,
        message: `security scheme ${name} ${JSON.stringify(scheme)} differs from the official ${JSON.stringify(o ?? null)}`,
      });
    }
  }
}

/** Follows `$ref`s; returns the final node, its pointer and every node on the way (markers may sit on any). */
function deref(doc: OpenApiDocument, node: unknown, at: string): { node: unknown; at: string; links: Chain } {
  const links: Chain = [{ node, at }];
  let current = node;
  let where = at;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref)) break;
    seen.add(ref);
    current = resolvePointer(doc, ref);
    where = ref;
    links.push({ node: current, at: where });
  }
  return { node: current, at: where, links };
}

function paramKey(p: JsonObject): string {
  return `${String(p.in)}:${String(p.name)}`;
}

function compareOperation(
  ctx: Ctx,
  label: string,
  fOp: JsonObject,
  fAt: string,
  fItem: JsonObject,
  oOp: JsonObject,
  oAt: string,
  oItem: JsonObject,
): void {
  const { sink } = ctx;
  const opLinks = chain(fOp, fAt);
  if (fOp.operationId !== oOp.operationId) {
    sink.report(opLinks, {
      kind: "operation-id",
      at: `${fAt}/operationId`,
      official: `${oAt}/operationId`,
      message: `${label} operationId ${String(fOp.operationId)} differs from the official ${String(oOp.operationId)}`,
    });
  }

  // Parameters: path-level and operation-level, keyed by in+name.
  const collect = (doc: OpenApiDocument, item: JsonObject, op: JsonObject, itemAt: string, opAt: string) => {
    const out = new Map<string, { param: JsonObject; at: string; links: Chain }>();
    const add = (list: unknown, base: string) => {
      if (!Array.isArray(list)) return;
      list.forEach((raw, i) => {
        const r = deref(doc, raw, `${base}/parameters/${i}`);
        if (isObject(r.node)) out.set(paramKey(r.node), { param: r.node, at: r.at, links: r.links });
      });
    };
    add(item.parameters, itemAt);
    add(op.parameters, opAt);
    return out;
  };
  const fParams = collect(ctx.fragment, fItem, fOp, fAt.replace(/\/[a-z]+$/, ""), fAt);
  const oParams = collect(ctx.official, oItem, oOp, oAt.replace(/\/[a-z]+$/, ""), oAt);
  for (const [key, f] of fParams) {
    const o = oParams.get(key);
    if (!o) {
      sink.report(f.links, {
        kind: "parameter-missing",
        at: f.at,
        message: `${label} parameter ${key} is not in the official description`,
      });
      continue;
    }
    sink.mark(f.links);
    if (Boolean(f.param.required) !== Boolean(o.param.required)) {
      sink.report(f.links, {
        kind: "parameter-required",
        at: f.at,
        official: o.at,
        message: `${label} parameter ${key} required=${Boolean(f.param.required)}, official ${Boolean(o.param.required)}`,
      });
    }
    compareSchemas(ctx, f.param.schema, `${f.at}/schema`, o.param.schema, `${o.at}/schema`);
  }
  for (const [key, o] of oParams) {
    if (!fParams.has(key) && o.param.required === true) {
      sink.report(opLinks, {
        kind: "parameter-uncovered",
        at: fAt,
        official: o.at,
        message: `${label} lacks the official required parameter ${key}`,
      });
    }
  }

  // Request body.
  const fBody = deref(ctx.fragment, fOp.requestBody, `${fAt}/requestBody`);
  const oBody = deref(ctx.official, oOp.requestBody, `${oAt}/requestBody`);
  if (isObject(fBody.node)) {
    if (!isObject(oBody.node)) {
      sink.report(fBody.links, {
        kind: "request-body",
        at: fBody.at,
        message: `${label} has a request body; the official operation has none`,
      });
    } else {
      if (Boolean(fBody.node.required) !== Boolean(oBody.node.required)) {
        sink.report(fBody.links, {
          kind: "request-body",
          at: fBody.at,
          official: oBody.at,
          message: `${label} requestBody.required=${Boolean(fBody.node.required)}, official ${Boolean(oBody.node.required)}`,
        });
      }
      compareContent(ctx, label, fBody.node, fBody.at, fBody.links, oBody.node, oBody.at);
    }
  } else if (isObject(oBody.node) && oBody.node.required === true) {
    sink.report(opLinks, {
      kind: "request-body",
      at: fAt,
      official: oBody.at,
      message: `${label} lacks the official required request body`,
    });
  }

  // Responses.
  const fResponses = isObject(fOp.responses) ? fOp.responses : {};
  const oResponses = isObject(oOp.responses) ? oOp.responses : {};
  for (const [status, raw] of Object.entries(fResponses)) {
    const f = deref(ctx.fragment, raw, `${fAt}/responses/${status}`);
    const oRaw = oResponses[status];
    if (oRaw === undefined) {
      sink.report(f.links, {
        kind: "response-missing",
        at: f.at,
        message: `${label} response ${status} is not in the official description`,
      });
      continue;
    }
    sink.mark(f.links);
    const o = deref(ctx.official, oRaw, `${oAt}/responses/${status}`);
    if (isObject(f.node) && isObject(o.node))
      compareContent(ctx, `${label} ${status}`, f.node, f.at, f.links, o.node, o.at);
  }
  for (const status of Object.keys(oResponses)) {
    if (!(status in fResponses)) {
      sink.report(opLinks, {
        kind: "response-uncovered",
        at: `${fAt}/responses`,
        official: `${oAt}/responses/${status}`,
        message: `${label} lacks the official ${status} response`,
      });
    }
  }
}

function compareContent(
  ctx: Ctx,
  label: string,
  f: JsonObject,
  fAt: string,
  fLinks: Chain,
  o: JsonObject,
  oAt: string,
): void {
  const fContent = isObject(f.content) ? f.content : {};
  const oContent = isObject(o.content) ? o.content : {};
  for (const [media, fMedia] of Object.entries(fContent)) {
    const oMedia = oContent[media];
    const at = `${fAt}/content/${escapePointer(media)}`;
    if (!isObject(oMedia)) {
      ctx.sink.report(fLinks, {
        kind: "media-type",
        at,
        message: `${label} ${media} is not in the official description`,
      });
      continue;
    }
    if (isObject(fMedia)) {
      compareSchemas(
        ctx,
        fMedia.schema,
        `${at}/schema`,
        oMedia.schema,
        `${oAt}/content/${escapePointer(media)}/schema`,
      );
    }
  }
  for (const media of Object.keys(oContent)) {
    if (!(media in fContent)) {
      ctx.sink.report(fLinks, {
        kind: "media-type",
        at: fAt,
        official: `${oAt}/content/${escapePointer(media)}`,
        message: `${label} lacks the official ${media} content`,
      });
    }
  }
}

/** A schema with `$ref`s followed and `allOf` (and single-alternative `oneOf`/`anyOf`) merged. */
interface Flat {
  at: string;
  links: Chain;
  type?: string;
  format?: string;
  nullable: boolean;
  enum?: unknown[];
  properties: Map<string, { schema: unknown; at: string }>;
  required: Set<string>;
  items?: { schema: unknown; at: string };
  additionalProperties?: { schema: unknown; at: string };
  alternatives?: { kind: "oneOf" | "anyOf"; list: { schema: unknown; at: string }[] };
}

function flatten(doc: OpenApiDocument, raw: unknown, rawAt: string, depth = 0): Flat {
  const r = deref(doc, raw, rawAt);
  const node = isObject(r.node) ? r.node : {};
  // A `nullable` written beside a `$ref` applies to the referenced schema.
  const siblingNullable = isObject(raw) && typeof raw.$ref === "string" ? raw.nullable : undefined;
  const flat: Flat = {
    at: r.at,
    links: r.links,
    nullable: false,
    properties: new Map(),
    required: new Set(Array.isArray(node.required) ? node.required.map(String) : []),
  };
  if (typeof node.type === "string") flat.type = node.type;
  if (typeof node.format === "string") flat.format = node.format;
  if (Array.isArray(node.enum)) flat.enum = node.enum;
  if (isObject(node.properties)) {
    for (const [name, schema] of Object.entries(node.properties)) {
      flat.properties.set(name, { schema, at: `${r.at}/properties/${escapePointer(name)}` });
    }
  }
  if (node.items !== undefined) flat.items = { schema: node.items, at: `${r.at}/items` };
  if (node.additionalProperties !== undefined) {
    flat.additionalProperties = { schema: node.additionalProperties, at: `${r.at}/additionalProperties` };
  }
  let memberNullable: boolean | undefined;
  const merge = (member: Flat) => {
    flat.type ??= member.type;
    flat.format ??= member.format;
    flat.enum ??= member.enum;
    for (const [name, p] of member.properties) if (!flat.properties.has(name)) flat.properties.set(name, p);
    for (const name of member.required) flat.required.add(name);
    flat.items ??= member.items;
    flat.additionalProperties ??= member.additionalProperties;
    flat.alternatives ??= member.alternatives;
    memberNullable = memberNullable === undefined ? member.nullable : memberNullable && member.nullable;
  };
  if (depth < 20 && Array.isArray(node.allOf)) {
    node.allOf.forEach((m, i) => {
      merge(flatten(doc, m, `${r.at}/allOf/${i}`, depth + 1));
    });
  }
  for (const kind of ["oneOf", "anyOf"] as const) {
    const list = node[kind];
    if (!Array.isArray(list)) continue;
    if (list.length === 1 && depth < 20) merge(flatten(doc, list[0], `${r.at}/${kind}/0`, depth + 1));
    else flat.alternatives = { kind, list: list.map((schema, i) => ({ schema, at: `${r.at}/${kind}/${i}` })) };
  }
  const own = siblingNullable ?? node.nullable;
  flat.nullable =
    own === true || (own === undefined && memberNullable === true) || (flat.enum?.includes(null) ?? false);
  // JSON Schema without `type` but with properties describes an object.
  if (flat.type === undefined && flat.properties.size > 0) flat.type = "object";
  return flat;
}

function compareSchemas(ctx: Ctx, fRaw: unknown, fAt: string, oRaw: unknown, oAt: string): void {
  if (fRaw === undefined) return;
  const f = flatten(ctx.fragment, fRaw, fAt);
  const o = flatten(ctx.official, oRaw, oAt);
  const pair = `${f.at}|${o.at}`;
  if (ctx.done.has(pair) || ctx.stack.has(pair)) return;
  ctx.stack.add(pair);
  try {
    compareFlat(ctx, f, o, oRaw === undefined);
  } finally {
    ctx.stack.delete(pair);
    ctx.done.add(pair);
  }
}

function describe(v: unknown): string {
  return v === undefined ? "(none)" : JSON.stringify(v);
}

function compareFlat(ctx: Ctx, f: Flat, o: Flat, officialMissing: boolean): void {
  const { sink } = ctx;
  const links = f.links;
  sink.mark(links);
  const base = { at: f.at, official: o.at };
  for (const { at, node } of links) {
    if (isObject(node) && typeof node.$ref === "string" && resolvePointer(ctx.fragment, node.$ref) === undefined) {
      sink.report(links, { kind: "unresolved-ref", at, message: `$ref ${node.$ref} does not resolve` });
      return;
    }
  }
  if (officialMissing) return;
  if (f.type !== o.type && !(f.type === undefined && f.alternatives && o.alternatives)) {
    sink.report(links, {
      kind: "type",
      ...base,
      message: `type ${describe(f.type)} differs from the official ${describe(o.type)}`,
    });
  }
  if (f.format !== o.format) {
    sink.report(links, {
      kind: "format",
      ...base,
      message: `format ${describe(f.format)} differs from the official ${describe(o.format)}`,
    });
  }
  if (f.nullable !== o.nullable) {
    sink.report(links, {
      kind: "nullable",
      ...base,
      message: `nullable ${f.nullable} differs from the official ${o.nullable}`,
    });
  }
  if (f.enum) {
    const extra = o.enum ? f.enum.filter((v) => !o.enum?.some((w) => JSON.stringify(w) === JSON.stringify(v))) : f.enum;
    if (extra.length > 0) {
      sink.report(links, {
        kind: "enum",
        ...base,
        message: o.enum
          ? `enum values ${describe(extra)} are not in the official enum ${describe(o.enum)}`
          : `enum ${describe(f.enum)} where the official schema has none`,
      });
    }
  }
  const extraRequired = [...f.required].filter((n) => !o.required.has(n));
  const missingRequired = [...o.required].filter((n) => !f.required.has(n));
  if (extraRequired.length > 0 || missingRequired.length > 0) {
    sink.report(links, {
      kind: "required",
      ...base,
      message: `required ${describe([...f.required])} differs from the official ${describe([...o.required])}`,
    });
  }
  for (const [name, fp] of f.properties) {
    const op = o.properties.get(name);
    if (!op) {
      sink.report(deref(ctx.fragment, fp.schema, fp.at).links, {
        kind: "property-missing",
        at: fp.at,
        official: o.at,
        message: `property ${name} is not in the official schema`,
      });
      continue;
    }
    compareSchemas(ctx, fp.schema, fp.at, op.schema, op.at);
  }
  if (f.items) {
    if (!o.items) {
      sink.report(links, { kind: "items", ...base, message: "items where the official schema has none" });
    } else {
      compareSchemas(ctx, f.items.schema, f.items.at, o.items.schema, o.items.at);
    }
  }
  const fAp = f.additionalProperties;
  if (fAp && fAp.schema !== true) {
    const oAp = o.additionalProperties;
    const apLinks = deref(ctx.fragment, fAp.schema, fAp.at).links;
    if (fAp.schema === false) {
      if (oAp?.schema !== false) {
        sink.report(apLinks, { kind: "additional-properties", ...base, message: "forbids additional properties" });
      }
    } else if (!oAp || oAp.schema === true) {
      sink.mark(apLinks);
      sink.report(apLinks, {
        kind: "additional-properties",
        at: fAp.at,
        official: o.at,
        message: "constrains additional properties the official schema leaves open",
      });
    } else if (isObject(oAp.schema)) {
      compareSchemas(ctx, fAp.schema, fAp.at, oAp.schema, oAp.at);
    }
  }
  if (f.alternatives) {
    if (!o.alternatives) {
      sink.report(links, {
        kind: "alternatives",
        ...base,
        message: `${f.alternatives.kind} where the official schema has none`,
      });
    } else {
      const candidates = o.alternatives.list;
      for (const alt of f.alternatives.list) {
        // Pair each fragment alternative with the official one it differs least from, and report those differences.
        let best: { schema: unknown; at: string } | undefined;
        let bestCount = Number.POSITIVE_INFINITY;
        for (const candidate of candidates) {
          const count = trial(ctx, alt.schema, alt.at, candidate.schema, candidate.at);
          if (count < bestCount) {
            best = candidate;
            bestCount = count;
          }
        }
        if (best) compareSchemas(ctx, alt.schema, alt.at, best.schema, best.at);
      }
    }
  }
}

/** Compares in a scratch context and counts the discrepancies (marked ones included). */
function trial(ctx: Ctx, fRaw: unknown, fAt: string, oRaw: unknown, oAt: string): number {
  const scratch: Ctx = { ...ctx, sink: new Sink(), done: new Set(), stack: new Set(ctx.stack) };
  compareSchemas(scratch, fRaw, fAt, oRaw, oAt);
  return scratch.sink.count() + scratch.sink.excusedCount();
}
