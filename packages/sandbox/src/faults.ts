/**
 * Fault injection: rules matched by method + path pattern, drawn from a seeded PRNG so a run is reproducible.
 */

export interface SlowBody {
  /** Bytes per chunk (default 16). */
  chunkBytes?: number;
  /** Pause between chunks in ms (default 50). */
  intervalMs?: number;
}

/** Any 4xx or 5xx status (400-599). */
export type FaultStatus = number;

/** A redirect answered instead of handling the request (Intercom's API never redirects; a proxy or a wrong host may). */
export interface FaultRedirect {
  status: 301 | 302 | 303 | 307 | 308;
  /** The `Location` header, sent as given (absolute or relative). */
  location: string;
}

export interface FaultRule {
  /** HTTP method to match, or "*" (default). */
  method?: string;
  /**
   * Path pattern (default "*" = every Intercom route). Segments: a literal, `:name` (any one segment) or `*`
   * (any rest), e.g. "/contacts/:id", "/contacts/*", "/companies".
   */
  path?: string;
  /** Chance in [0, 1] that the rule fires for a matching request (default 1). */
  probability?: number;
  /** Fire at most this many times, then the rule is spent (e.g. `{ status: 429, times: 3 }` = a burst of 3). */
  times?: number;
  /** Added delay before the request is handled. */
  latencyMs?: number;
  /** Extra random delay in [0, jitterMs). */
  jitterMs?: number;
  /**
   * Answer with this status (any 4xx or 5xx) instead of handling the request: nothing changes. The body is an
   * Intercom `error.list` with a code that fits the status (400 `parameter_invalid`, 401 `unauthorized`, 403
   * `api_plan_restricted`, 404 `not_found`, 409 `conflict`, 410 `contact_merged`, 422 `unprocessable_entity`, 429
   * `rate_limit_exceeded`, 5xx `server_error`/`service_unavailable`/`request_timeout`, ...). A list picks one of them
   * at random (seeded) each time the rule fires, e.g. `[500, 502, 503]`.
   */
  status?: FaultStatus | FaultStatus[];
  /** With `status`: the error's `code` instead of the one that fits the status. */
  code?: string;
  /** With `status`: the error's `message` instead of the default one. */
  message?: string;
  /** With `status: 410`: the contact it was merged into, sent as `Link: </contacts/{id}>; rel="canonical"`. */
  mergedInto?: string;
  /** Answer with a redirect (no body) instead of handling the request: nothing changes. */
  redirect?: FaultRedirect;
  /**
   * Hold the request without ever answering, until the client gives up (closes the connection) or the sandbox
   * stops. `true`: the request is not handled, nothing changes. `"after"`: it is handled first (changes ARE
   * applied), then the answer is held back: an answer lost to the client's timeout.
   */
  stall?: true | "after";
  /** Handle the request (changes ARE applied), send the headers and half the body, then destroy the socket. */
  reset?: boolean;
  /**
   * Handle the request (changes ARE applied), then send a truncated, unparsable JSON body with the route's status
   * (200 for a success, e.g. 404 when the route found nothing).
   */
  malformed?: boolean;
  /** Handle the request, send the headers at once, then trickle the body. */
  slowBody?: SlowBody | true;
}

/** What the dice decided for one request. */
export interface FaultDecision {
  delayMs: number;
  status?: FaultStatus;
  /** With `status`: the rule's own code, message and merge target. */
  code?: string;
  message?: string;
  mergedInto?: string;
  redirect?: FaultRedirect;
  stall?: true | "after";
  reset?: boolean;
  malformed?: boolean;
  slowBody?: Required<SlowBody>;
  /** Indexes of the rules that fired. */
  fired: number[];
}

/** mulberry32: tiny, fast, good enough to make test runs repeatable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pathMatches(pattern: string, path: string): boolean {
  if (pattern === "*" || pattern === "/*") return true;
  const want = pattern.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === "*") return true;
    const g = got[i];
    if (g === undefined) return false;
    if (w.startsWith(":")) continue;
    if (w !== g) return false;
  }
  return want.length === got.length;
}

const isFaultStatus = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 400 && (x as number) <= 599;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** What a rule does when it fires, besides delaying: at most one of these per rule. */
const OUTCOMES = ["status", "redirect", "stall", "reset", "malformed", "slowBody"] as const;
const KEYS = new Set([
  "method",
  "path",
  "probability",
  "times",
  "latencyMs",
  "jitterMs",
  "code",
  "message",
  "mergedInto",
  ...OUTCOMES,
]);
/** A header value Node will send: tab, printable ASCII or Latin-1, nothing else (no line breaks). */
function headerSafe(text: string): boolean {
  if (text === "") return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 9 || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff))) return false;
  }
  return true;
}

/** Whether `encodeURIComponent` can encode it (no lone surrogates). */
function encodable(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

function hasOutcome(rule: FaultRule): boolean {
  return OUTCOMES.some((k) => rule[k] !== undefined && rule[k] !== false);
}

/** Checks rules coming from outside (options, admin route); returns a message naming the bad field, or null. */
export function checkFaultRules(rules: unknown): string | null {
  if (!Array.isArray(rules)) return "faults must be an array of rules";
  for (const [i, r] of rules.entries()) {
    const at = `faults[${i}]`;
    if (typeof r !== "object" || r === null || Array.isArray(r)) return `${at} must be an object`;
    const rule = r as Record<string, unknown>;
    for (const k of Object.keys(rule)) if (!KEYS.has(k)) return `${at}.${k} is not a known fault setting`;
    const num = (k: string, min: number, max: number): string | null => {
      const v = rule[k];
      if (v === undefined) return null;
      return typeof v === "number" && Number.isFinite(v) && v >= min && v <= max
        ? null
        : `${at}.${k} must be a number between ${min} and ${max}`;
    };
    const bad =
      num("probability", 0, 1) ??
      num("times", 0, Number.MAX_SAFE_INTEGER) ??
      num("latencyMs", 0, 600_000) ??
      num("jitterMs", 0, 600_000);
    if (bad) return bad;
    if (rule.method !== undefined && typeof rule.method !== "string") return `${at}.method must be a string`;
    if (rule.path !== undefined && (typeof rule.path !== "string" || !/^(\*|\/.*)$/.test(rule.path)))
      return `${at}.path must be a string starting with "/" (or "*")`;
    const outcomes = OUTCOMES.filter((k) => rule[k] !== undefined && rule[k] !== false);
    if (outcomes.length > 1) return `${at} may have only one of ${OUTCOMES.join(", ")} (it has ${outcomes.join(", ")})`;
    if (rule.status !== undefined) {
      const list = Array.isArray(rule.status) ? rule.status : [rule.status];
      if (list.length === 0 || !list.every(isFaultStatus))
        return `${at}.status must be a 4xx or 5xx status, an integer from 400 to 599 (or a non-empty list of them)`;
    }
    for (const k of ["code", "message", "mergedInto"]) {
      if (rule[k] === undefined) continue;
      if (typeof rule[k] !== "string" || rule[k] === "") return `${at}.${k} must be a non-empty string`;
      if (rule.status === undefined) return `${at}.${k} needs a status`;
    }
    if (rule.mergedInto !== undefined) {
      const list = Array.isArray(rule.status) ? rule.status : [rule.status];
      if (!list.every((x) => x === 410)) return `${at}.mergedInto goes with status 410 only`;
      if (!encodable(rule.mergedInto as string))
        return `${at}.mergedInto must be well-formed text (no lone surrogates)`;
    }
    const rd = rule.redirect;
    if (rd !== undefined) {
      if (typeof rd !== "object" || rd === null || Array.isArray(rd))
        return `${at}.redirect must be { status: 301 | 302 | 303 | 307 | 308, location }`;
      const r = rd as Record<string, unknown>;
      for (const k of Object.keys(r))
        if (k !== "status" && k !== "location") return `${at}.redirect.${k} is not a known setting`;
      if (!REDIRECTS.has(r.status as number)) return `${at}.redirect.status must be one of 301, 302, 303, 307, 308`;
      if (typeof r.location !== "string" || !headerSafe(r.location))
        return `${at}.redirect.location must be a non-empty header value (printable ASCII or Latin-1, no line breaks)`;
    }
    if (rule.stall !== undefined && rule.stall !== true && rule.stall !== "after")
      return `${at}.stall must be true (never handled) or "after" (handled, then never answered)`;
    for (const k of ["reset", "malformed"])
      if (rule[k] !== undefined && typeof rule[k] !== "boolean") return `${at}.${k} must be a boolean`;
    const sb = rule.slowBody;
    if (sb !== undefined && sb !== true) {
      if (typeof sb !== "object" || sb === null) return `${at}.slowBody must be true or { chunkBytes, intervalMs }`;
      const s = sb as Record<string, unknown>;
      for (const k of Object.keys(s))
        if (k !== "chunkBytes" && k !== "intervalMs") return `${at}.slowBody.${k} is not a known setting`;
      if (s.chunkBytes !== undefined && !(Number.isInteger(s.chunkBytes) && (s.chunkBytes as number) >= 1))
        return `${at}.slowBody.chunkBytes must be a positive integer`;
      if (
        s.intervalMs !== undefined &&
        !(typeof s.intervalMs === "number" && s.intervalMs >= 0 && s.intervalMs <= 60_000)
      )
        return `${at}.slowBody.intervalMs must be a number between 0 and 60000`;
    }
  }
  return null;
}

/** Live fault settings: the rules, how often each has fired, and the PRNG. */
export class FaultPlan {
  private rules: FaultRule[] = [];
  private used: number[] = [];
  private random: () => number;
  private seedValue: number;

  constructor(rules: FaultRule[], seed: number) {
    this.seedValue = seed;
    this.random = mulberry32(seed);
    this.set(rules);
  }

  /** Replaces the rules and restarts their `times` counters; with a seed, restarts the PRNG too. */
  set(rules: FaultRule[], seed?: number): void {
    this.rules = rules.map((r) => {
      const copy = { ...r };
      if (Array.isArray(r.status)) copy.status = [...r.status];
      if (r.redirect !== undefined) copy.redirect = { ...r.redirect };
      if (r.slowBody !== undefined) copy.slowBody = r.slowBody === true ? {} : { ...r.slowBody };
      return copy;
    });
    this.used = rules.map(() => 0);
    if (seed !== undefined) {
      this.seedValue = seed;
      this.random = mulberry32(seed);
    }
  }

  get(): { rules: FaultRule[]; seed: number } {
    return { rules: this.rules.map((r) => ({ ...r })), seed: this.seedValue };
  }

  decide(method: string, path: string): FaultDecision {
    const out: FaultDecision = { delayMs: 0, fired: [] };
    this.rules.forEach((rule, i) => {
      if (rule.method && rule.method !== "*" && rule.method.toUpperCase() !== method) return;
      if (!pathMatches(rule.path ?? "*", path)) return;
      if (rule.times !== undefined && this.used[i]! >= rule.times) return;
      const decided =
        out.status !== undefined ||
        out.redirect !== undefined ||
        out.stall !== undefined ||
        out.reset !== undefined ||
        out.malformed !== undefined ||
        out.slowBody !== undefined;
      // The first firing outcome wins; a later outcome rule does not fire (nor use up its `times`).
      if (hasOutcome(rule) && decided) return;
      const p = rule.probability ?? 1;
      if (p < 1 && this.random() >= p) return;
      this.used[i] = this.used[i]! + 1;
      out.fired.push(i);
      out.delayMs += (rule.latencyMs ?? 0) + (rule.jitterMs ? Math.floor(this.random() * rule.jitterMs) : 0);
      if (rule.status !== undefined) {
        const list = Array.isArray(rule.status) ? rule.status : [rule.status];
        out.status = list.length === 1 ? list[0]! : list[Math.floor(this.random() * list.length)]!;
        if (rule.code !== undefined) out.code = rule.code;
        if (rule.message !== undefined) out.message = rule.message;
        if (rule.mergedInto !== undefined) out.mergedInto = rule.mergedInto;
      } else if (rule.redirect) out.redirect = { ...rule.redirect };
      else if (rule.stall) out.stall = rule.stall;
      else if (rule.reset) out.reset = true;
      else if (rule.malformed) out.malformed = true;
      else if (rule.slowBody)
        out.slowBody = {
          chunkBytes: (rule.slowBody as SlowBody).chunkBytes ?? 16,
          intervalMs: (rule.slowBody as SlowBody).intervalMs ?? 50,
        };
    });
    return out;
  }
}
