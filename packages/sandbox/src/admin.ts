import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { customAttributeView, standardAttributeViews } from "./data-attributes.js";
import { errorBody, type Reply } from "./errors.js";
import { checkFaultRules, type FaultPlan, type FaultRule } from "./faults.js";
import { parseJsonBody, sendJson, tokenMatches } from "./http-io.js";
import type { ContactRecord } from "./model.js";
import type { RequestLog } from "./request-log.js";
import type { Store } from "./store.js";
import { adminView, companyView, contactView, type JsonObject, tagBasicView, tagView } from "./views.js";

export const SANDBOX_PREFIX = "/__sandbox";

export interface AdminDeps {
  token: string;
  store: Store;
  faults: FaultPlan;
  log: RequestLog;
  /** Back to the start data (what `Sandbox.reset()` does). */
  reset: () => void;
}

interface AdminRequest {
  method: string;
  /** Segments after `/__sandbox`, percent-decoded where possible. */
  rest: string[];
  query: URLSearchParams;
  body: unknown;
  requestId: string;
  path: string;
}

export function isAdminPath(pathname: string): boolean {
  return pathname === SANDBOX_PREFIX || pathname.startsWith(`${SANDBOX_PREFIX}/`);
}

/**
 * The inspection routes under `/__sandbox` (same token; no rate limit, faults or version check), so other
 * processes (e2e tests, the terminal app's tests) can see and reset the state.
 */
export function createAdminHandler(deps: AdminDeps) {
  const { store, faults, log } = deps;
  const ok = (body: JsonObject): Reply => ({ status: 200, body });
  /** The API's shape plus what the API hides: the archived flag. */
  const contactRow = (c: ContactRecord): JsonObject => ({ ...contactView(store.data, c), archived: c.archived });

  function answer(r: AdminRequest): Reply {
    const err = (status: number, code: string, message: string, field?: string): Reply => ({
      status,
      body: errorBody(r.requestId, code, message, field),
    });
    const { rest, query: q } = r;
    const key = `${r.method} /${rest.map((s, i) => (i === 1 && rest[0] === "contacts" ? ":id" : s)).join("/")}`;
    switch (key) {
      case "GET /contacts": {
        const ext = q.get("external_id");
        const email = q.get("email");
        const filtered = ext !== null || email !== null;
        const rows = store.data.contacts.filter(
          (c) =>
            (ext === null || c.external_id === ext) &&
            (email === null || c.email.toLowerCase() === email.toLowerCase()) &&
            (!filtered || c.merged_into === null),
        );
        return ok({ type: "list", data: rows.map(contactRow), total_count: rows.length });
      }
      case "GET /contacts/:id": {
        const c = store.contact(rest[1]!);
        if (!c) return err(404, "not_found", "User Not Found");
        return ok({ ...contactRow(c), merged_into: c.merged_into ? store.canonicalId(c) : null });
      }
      case "GET /contacts/:id/tags": {
        const c = store.contact(rest[1]!);
        if (!c) return err(404, "not_found", "User Not Found");
        const data = c.tags.flatMap((t) => {
          const tag = store.tag(t.id);
          return tag ? [tagView(tag, t.applied_at)] : [];
        });
        return ok({ type: "list", data, total_count: data.length });
      }
      case "GET /tags":
        return ok({ type: "list", data: store.data.tags.map(tagBasicView), total_count: store.data.tags.length });
      case "GET /data_attributes": {
        const model = q.get("model") ?? "contact";
        if (model !== "contact" && model !== "company")
          return err(400, "parameter_invalid", "model must be contact or company", "model");
        const custom = store.data.data_attributes.filter((a) => a.model === model).map(customAttributeView);
        return ok({ type: "list", data: [...standardAttributeViews(model), ...custom] });
      }
      case "GET /admins":
        return ok({ type: "admin.list", admins: store.data.admins.map((a) => adminView(a, true)) });
      case "GET /contacts/:id/companies": {
        const c = store.contact(rest[1]!);
        if (!c) return err(404, "not_found", "User Not Found");
        const data = store.attachedCompanies(c).map((co) => companyView(store.data, co));
        return ok({ type: "list", data, total_count: data.length });
      }
      case "GET /companies": {
        const cid = q.get("company_id");
        const rows = store.data.companies.filter((co) => cid === null || co.company_id === cid);
        return ok({ type: "list", data: rows.map((co) => companyView(store.data, co)), total_count: rows.length });
      }
      case "GET /state":
        return ok(structuredClone(store.data) as unknown as JsonObject);
      case "POST /reset":
        deps.reset();
        return ok({ ok: true });
      case "GET /faults":
        return ok(faults.get() as unknown as JsonObject);
      case "POST /faults": {
        const b = r.body as { rules?: unknown; seed?: unknown } | undefined;
        const rules = b?.rules ?? [];
        const problem = checkFaultRules(rules);
        if (problem) return err(400, "parameter_invalid", problem, "rules");
        if (b?.seed !== undefined && !Number.isInteger(b.seed))
          return err(400, "parameter_invalid", "seed must be an integer", "seed");
        faults.set(rules as FaultRule[], b?.seed as number | undefined);
        return ok(faults.get() as unknown as JsonObject);
      }
      case "GET /requests":
        return ok({ type: "list", data: log.list() as unknown as JsonObject[] });
      case "DELETE /requests":
        log.clear();
        return ok({ ok: true });
      default:
        return err(404, "not_found", `No sandbox admin route ${r.method} ${r.path}`);
    }
  }

  function reply(req: IncomingMessage, url: URL, text: string, requestId: string): Reply {
    const method = (req.method ?? "GET").toUpperCase();
    if (!tokenMatches(req.headers.authorization, deps.token))
      return { status: 401, body: errorBody(requestId, "unauthorized", "Access Token Invalid") };
    const parsed = parseJsonBody(text);
    if ("invalid" in parsed)
      return { status: 400, body: errorBody(requestId, "parameter_invalid", "Request body is not valid JSON") };
    const rest = url.pathname
      .slice(SANDBOX_PREFIX.length)
      .split("/")
      .filter(Boolean)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    return answer({ method, rest, query: url.searchParams, body: parsed.value, requestId, path: url.pathname });
  }

  return function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, text: string): void {
    const requestId = randomUUID();
    const out = reply(req, url, text, requestId);
    sendJson(res, out.status, out.body, { "X-Request-Id": requestId });
  };
}
