/** What a bulk file would do, without sending anything: for `--dry-run` over a file and for previews. */
import { labelOf } from "../fields.js";
import { plural } from "../text.js";
import type { FieldKey } from "../types.js";
import { type BulkRowsInput, validateRows } from "./run.js";

export interface BulkSummary {
  rows: number;
  valid: number;
  invalid: number;
  /** Distinct users named (rows for the same user run one after the other). */
  users: number;
  /** Distinct companies by Company ID: each is read, and created or updated, at most once per run. */
  companies: string[];
  /** Distinct tag names added (a missing one is created once per run). */
  tags: string[];
  /** Distinct custom attribute names set (the workspace's definitions are read once per run). */
  attributes: string[];
  /** How many valid rows set each field. */
  fields: Array<{ key: FieldKey; label: string; rows: number }>;
}

export function bulkSummary(rows: BulkRowsInput): BulkSummary {
  const { valid, invalid } = validateRows(rows);
  const users = new Set<string>();
  const companies = new Set<string>();
  const tags = new Map<string, string>();
  const attributes = new Set<string>();
  const counts = new Map<FieldKey, number>();
  for (const { input } of valid) {
    users.add(
      input.intercomId
        ? `i:${input.intercomId}`
        : input.userId
          ? `u:${input.userId}`
          : `e:${(input.lookupEmail ?? "").toLowerCase()}`,
    );
    if (input.companyId !== undefined) companies.add(input.companyId);
    for (const t of input.tags ?? []) if (!tags.has(t.toLowerCase())) tags.set(t.toLowerCase(), t);
    for (const name of Object.keys(input.customAttributes ?? {})) attributes.add(name);
    for (const key of Object.keys(input) as FieldKey[]) {
      if (key === "userId" || key === "intercomId" || key === "lookupEmail" || (key as string) === "attributeTypes")
        continue;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return {
    rows: valid.length + invalid.length,
    valid: valid.length,
    invalid: invalid.length,
    users: users.size,
    companies: [...companies],
    tags: [...tags.values()],
    attributes: [...attributes],
    fields: [...counts].map(([key, n]) => ({ key, label: labelOf(key), rows: n })),
  };
}

/** "12 rows (12 valid) for 11 users", then what they set; lines for a dry run. */
export function bulkSummaryLines(s: BulkSummary): string[] {
  const lines = [
    `${plural(s.rows, "row")} (${s.valid} valid${s.invalid > 0 ? `, ${s.invalid} invalid` : ""}) for ${plural(s.users, "user")}`,
  ];
  for (const f of s.fields) lines.push(`  ${f.label}: ${plural(f.rows, "row")}`);
  if (s.companies.length > 0) {
    lines.push(
      `${plural(s.companies.length, "company", "companies")} by Company ID, each read and created or updated at most once: ${s.companies.join(", ")}`,
    );
  }
  if (s.tags.length > 0)
    lines.push(`${plural(s.tags.length, "tag")} to add (missing ones are created once): ${s.tags.join(", ")}`);
  if (s.attributes.length > 0)
    lines.push(`Custom attributes set: ${s.attributes.join(", ")} (checked against the workspace once)`);
  lines.push(
    "Nothing was sent: each row is looked up and checked when the run starts, and only what differs is written.",
  );
  return lines;
}
