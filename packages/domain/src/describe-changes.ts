import { labelOf } from "./fields.js";
import type { FieldChange, UpdateUserInput, UpdateUserOutput } from "./types.js";

function show(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * One line per value the input would set, with the current value from a lookup (null when unknown or the user was
 * not looked up). Lines whose `current` equals `next` change nothing; review screens may dim or drop them.
 */
export function describeChanges(current: UpdateUserOutput | null, input: UpdateUserInput): FieldChange[] {
  const changes: FieldChange[] = [];
  const add = (key: keyof UpdateUserInput, cur: unknown, next: unknown, label = labelOf(key)) => {
    changes.push({ key, label, current: show(cur), next: show(next) ?? "" });
  };
  const companies = current?.companies.companies ?? [];
  if (input.name !== undefined) add("name", current?.name, input.name);
  if (input.email !== undefined) add("email", current?.email, input.email);
  if (input.phone !== undefined) add("phone", current?.phone, input.phone);
  if (input.unsubscribedFromEmails !== undefined) {
    add("unsubscribedFromEmails", current?.unsubscribed_from_emails, input.unsubscribedFromEmails);
  }
  if (input.intercomCompanyId !== undefined) {
    const attached = companies.find((c) => c.id === input.intercomCompanyId);
    add("intercomCompanyId", attached ? attached.id : null, input.intercomCompanyId);
  }
  if (input.companyId !== undefined) {
    const attached = companies.find((c) => c.company_id === input.companyId);
    add("companyId", attached ? attached.company_id : null, input.companyId);
    if (input.companyName !== undefined) add("companyName", attached?.name ?? null, input.companyName);
  }
  if (input.companyMonthlySpend !== undefined) {
    // The lookup does not read the company itself, so the current spend is unknown.
    add("companyMonthlySpend", null, Math.trunc(input.companyMonthlySpend));
  }
  for (const [name, value] of Object.entries(input.customAttributes ?? {})) {
    const cur = current && Object.hasOwn(current.custom_attributes, name) ? current.custom_attributes[name] : null;
    add("customAttributes", cur, value, `${labelOf("customAttributes")}: ${name}`);
  }
  return changes;
}
