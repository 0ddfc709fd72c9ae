import type { CompanyUpsertBody, SearchContactsBody, UpdateContactBody } from "@intercom-kit/core";
import type { IdentifyBy, PlannedCall, UpdatePlan, UpdateUserInput } from "./types.js";

/** Shown in planned paths where the id is only known once an earlier call has answered. */
export const CONTACT_ID_PLACEHOLDER = "{contact_id}";
export const COMPANY_ID_PLACEHOLDER = "{company.id}";

/** `find_by_external_id` exists from API 2.13 on; older versions resolve a user ID through search instead. */
export function supportsFindByExternalId(version: string | undefined): boolean {
  if (version === undefined) return true;
  const m = /^(\d+)\.(\d+)$/.exec(version.trim());
  if (!m) return true; // "Preview", "Unstable": newest behaviour
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 2 || (major === 2 && minor >= 13);
}

export interface PlanOptions {
  /** The Intercom-Version the client sends (default 2.15); decides how a user ID is resolved. */
  apiVersion?: string;
}

export function identifyByOf(input: UpdateUserInput): IdentifyBy {
  if (input.intercomId !== undefined) return "intercomId";
  if (input.userId !== undefined) return "userId";
  return "lookupEmail";
}

/** True when the input changes the contact record itself (so a PUT is needed). */
export function changesContact(input: UpdateUserInput): boolean {
  return (
    input.name !== undefined ||
    input.email !== undefined ||
    input.phone !== undefined ||
    input.unsubscribedFromEmails !== undefined ||
    (input.customAttributes !== undefined && Object.keys(input.customAttributes).length > 0)
  );
}

export function changesCompany(input: UpdateUserInput): boolean {
  return input.intercomCompanyId !== undefined || input.companyId !== undefined;
}

/** The PUT /contacts/{id} body: only fields that are set; `unsubscribed_from_emails: false` is sent. */
export function updateContactBody(input: UpdateUserInput): UpdateContactBody {
  const body: UpdateContactBody = {};
  if (input.name !== undefined) body.name = input.name;
  if (input.email !== undefined) body.email = input.email;
  if (input.phone !== undefined) body.phone = input.phone;
  if (input.unsubscribedFromEmails !== undefined) body.unsubscribed_from_emails = input.unsubscribedFromEmails;
  if (input.customAttributes !== undefined && Object.keys(input.customAttributes).length > 0) {
    body.custom_attributes = { ...input.customAttributes };
  }
  return body;
}

/** The POST /companies body (upsert by company_id). Intercom stores whole numbers only, so spend is truncated here. */
export function companyUpsertBody(input: UpdateUserInput): CompanyUpsertBody | undefined {
  if (input.companyId === undefined) return undefined;
  const body: CompanyUpsertBody = { company_id: input.companyId };
  if (input.companyName !== undefined) body.name = input.companyName;
  if (input.companyMonthlySpend !== undefined) body.monthly_spend = Math.trunc(input.companyMonthlySpend);
  return body;
}

/** Users only: the action updates users, and user ID lookups (find_by_external_id) are users-only too. */
export function emailSearchBody(email: string): SearchContactsBody {
  return {
    query: {
      operator: "AND",
      value: [
        { field: "email", operator: "=", value: email },
        { field: "role", operator: "=", value: "user" },
      ],
    },
    pagination: { per_page: 50 },
  };
}

export function externalIdSearchBody(userId: string): SearchContactsBody {
  return {
    query: {
      operator: "AND",
      value: [
        { field: "external_id", operator: "=", value: userId },
        { field: "role", operator: "=", value: "user" },
      ],
    },
    pagination: { per_page: 50 },
  };
}

const seg = encodeURIComponent;

/** Longest chain of `after` dependencies, counted in calls: what the person waits for. */
export function criticalPath(calls: readonly Pick<PlannedCall, "id" | "after">[]): number {
  const byId = new Map(calls.map((c) => [c.id, c]));
  const memo = new Map<string, number>();
  const depth = (id: string, seen: ReadonlySet<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const call = byId.get(id as PlannedCall["id"]);
    if (!call || seen.has(id)) return 0;
    const next = new Set(seen).add(id);
    const d = 1 + Math.max(0, ...call.after.map((a) => depth(a, next)));
    memo.set(id, d);
    return d;
  };
  return Math.max(0, ...calls.map((c) => depth(c.id, new Set())));
}

/**
 * The calls `updateUser` will make for a valid input, with their bodies (never the token or host), their
 * dependencies and the critical path in round trips. Dry-run and preview screens show this; `updateUser` follows it.
 */
export function planUpdate(input: UpdateUserInput, options: PlanOptions = {}): UpdatePlan {
  const identifyBy = identifyByOf(input);
  const calls: PlannedCall[] = [];
  const notes: string[] = [];
  let resolve: PlannedCall["id"] | undefined;
  let contactId = CONTACT_ID_PLACEHOLDER;

  if (identifyBy === "intercomId") {
    contactId = input.intercomId as string;
  } else if (identifyBy === "userId") {
    const userId = input.userId as string;
    if (supportsFindByExternalId(options.apiVersion)) {
      resolve = "find";
      calls.push({
        id: "find",
        method: "GET",
        path: `/contacts/find_by_external_id/${seg(userId)}`,
        purpose: `find the user with user ID ${userId}`,
        after: [],
      });
    } else {
      resolve = "search";
      calls.push({
        id: "search",
        method: "POST",
        path: "/contacts/search",
        body: externalIdSearchBody(userId),
        purpose: `search for the user with user ID ${userId}`,
        after: [],
      });
      notes.push(
        `API ${options.apiVersion} has no find_by_external_id, so the user ID is searched; users created in the last few minutes may not be found yet.`,
      );
    }
  } else {
    const email = input.lookupEmail as string;
    resolve = "search";
    calls.push({
      id: "search",
      method: "POST",
      path: "/contacts/search",
      body: emailSearchBody(email),
      purpose: `search for the one user whose email is ${email}`,
      after: [],
    });
    notes.push(
      `Finding by email needs exactly one user (leads are not counted) with ${email}; users created in the last few minutes may not be searchable yet.`,
    );
  }
  const afterResolve: PlannedCall["id"][] = resolve ? [resolve] : [];
  const path = `/contacts/${contactId === CONTACT_ID_PLACEHOLDER ? contactId : seg(contactId)}`;

  const company = companyUpsertBody(input);
  if (company) {
    calls.push({
      id: "company",
      method: "POST",
      path: "/companies",
      body: company,
      purpose: `create or update the company with company ID ${input.companyId}`,
      after: [],
    });
    notes.push(`The company with company ID ${input.companyId} is created if it does not exist yet.`);
    const spend = input.companyMonthlySpend;
    if (spend !== undefined && !Number.isInteger(spend)) {
      notes.push(`Monthly spend ${spend} will be stored as ${Math.trunc(spend)}: Intercom keeps whole numbers only.`);
    }
  }

  if (changesContact(input)) {
    calls.push({
      id: "update",
      method: "PUT",
      path,
      body: updateContactBody(input),
      purpose: "update the user's fields",
      after: afterResolve,
    });
    if (input.customAttributes && Object.keys(input.customAttributes).length > 0) {
      notes.push(
        "Custom attributes must already exist in the workspace (Settings > Data > People); Intercom rejects unknown ones.",
      );
    }
  } else if (identifyBy === "intercomId") {
    calls.push({ id: "get", method: "GET", path, purpose: "read the user", after: [] });
  }

  if (changesCompany(input)) {
    const companyRef = input.intercomCompanyId ?? COMPANY_ID_PLACEHOLDER;
    calls.push({
      id: "attach",
      method: "POST",
      path: `${path}/companies`,
      body: { id: companyRef },
      purpose: input.intercomCompanyId
        ? `attach the user to the company with Intercom ID ${input.intercomCompanyId}`
        : `attach the user to the company with company ID ${input.companyId}`,
      after: company ? [...afterResolve, "company"] : afterResolve,
    });
  }

  calls.push(
    {
      id: "companies",
      method: "GET",
      path: `${path}/companies`,
      // Not after the attach: attaching only adds, so the list read beside it plus the company the attach answers
      // with is the final list, one round trip sooner (docs/decisions/0002-strict-update-on-2x.md).
      purpose: changesCompany(input)
        ? "read the user's other companies (the attached one comes from the attach answer)"
        : "read the user's companies (names and company IDs)",
      after: afterResolve,
    },
    { id: "tags", method: "GET", path: `${path}/tags`, purpose: "read the user's tags", after: afterResolve },
    {
      id: "segments",
      method: "GET",
      path: `${path}/segments`,
      purpose: "read the user's segments",
      after: afterResolve,
    },
  );

  return { identifyBy, calls, roundTrips: criticalPath(calls), notes };
}
