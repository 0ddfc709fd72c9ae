import { customAttributeView, type Model, standardAttributeViews } from "./data-attributes.js";
import type { AdminRecord, CompanyRecord, ContactRecord, DataAttribute, SandboxData, TagRecord } from "./model.js";
import { writeStateAtomic } from "./persist.js";
import { makeId } from "./seed.js";
import { adminView, companyView, contactView, type JsonObject, segmentView, tagView } from "./views.js";

/** The mutable state of one sandbox instance (no module state: each startSandbox owns one). */
export class Store {
  data: SandboxData;
  private readonly stateFile: string | undefined;

  constructor(data: SandboxData, stateFile: string | undefined) {
    this.data = data;
    this.stateFile = stateFile;
  }

  /** Call after every change: writes the state file (atomically) when one is configured. */
  changed(): void {
    if (this.stateFile) writeStateAtomic(this.stateFile, this.data);
  }

  replace(data: SandboxData): void {
    this.data = data;
    this.changed();
  }

  contact(id: string): ContactRecord | undefined {
    return this.data.contacts.find((c) => c.id === id);
  }

  company(id: string): CompanyRecord | undefined {
    return this.data.companies.find((c) => c.id === id);
  }

  companyByCompanyId(companyId: string): CompanyRecord | undefined {
    return this.data.companies.find((c) => c.company_id === companyId);
  }

  tag(id: string): TagRecord | undefined {
    return this.data.tags.find((t) => t.id === id);
  }

  /** Tag names are case-insensitive (as Intercom documents for `POST /tags`). */
  tagByName(name: string): TagRecord | undefined {
    const key = name.trim().toLowerCase();
    return this.data.tags.find((t) => t.name.toLowerCase() === key);
  }

  /** The admin the API acts as (the token's owner): the workspace's first admin. */
  apiAdminId(): string {
    return this.data.admins[0]?.id ?? "0";
  }

  admin(id: string): AdminRecord | undefined {
    return this.data.admins.find((a) => a.id === id);
  }

  /** The custom attribute of this model with exactly this name (archived ones included). */
  attribute(model: Model, name: string): DataAttribute | undefined {
    return this.data.data_attributes.find((a) => a.model === model && a.name === name);
  }

  /** Next id for a tag: Intercom's tag ids are strings of digits. */
  newTagId(): string {
    return String(Math.max(100, ...this.data.tags.map((t) => Number(t.id)).filter(Number.isFinite)) + 1);
  }

  newAttributeId(): number {
    return Math.max(0, ...this.data.data_attributes.map((a) => a.id)) + 1;
  }

  /** Follows merges (at most 3 hops, as Intercom documents) to the canonical contact id. */
  canonicalId(c: ContactRecord): string {
    let cur = c;
    for (let hop = 0; hop < 3 && cur.merged_into; hop++) {
      const next = this.contact(cur.merged_into);
      if (!next) return cur.merged_into;
      cur = next;
    }
    return cur.id;
  }

  newId(nowSec: number): string {
    const id = makeId(nowSec, this.data.next_id);
    this.data.next_id++;
    return id;
  }

  attachedCompanies(c: ContactRecord): CompanyRecord[] {
    return c.company_ids.map((id) => this.company(id)).filter((co): co is CompanyRecord => co !== undefined);
  }
}

/** Read-only views for tests and other packages, without going through the Intercom routes (or the rate limit). */
export interface SandboxStateView {
  /** The contact as `GET /contacts/{id}` would show it (also merged ones), or undefined. */
  getContact(id: string): JsonObject | undefined;
  /** Users and leads with this external id, merged ones excluded (archived ones included); the first one, or undefined. */
  findByExternalId(externalId: string): JsonObject | undefined;
  /** Contacts with this email (case-insensitive), merged ones excluded. */
  findByEmail(email: string): JsonObject[];
  /** Every contact, merged ones included (they carry no marker in the view; use `mergedInto`). */
  listContacts(): JsonObject[];
  /** The canonical id a merged contact points to, or null. */
  mergedInto(id: string): string | null;
  /** Every company, as `POST /companies` returns it. */
  companies(): JsonObject[];
  getCompany(id: string): JsonObject | undefined;
  findCompanyByCompanyId(companyId: string): JsonObject | undefined;
  /** The companies attached to a contact, in attach order. */
  companiesOf(contactId: string): JsonObject[];
  /** The tags applied to a contact (archived contacts included), as `GET /contacts/{id}/tags` lists them. */
  tagsOf(contactId: string): JsonObject[];
  segmentsOf(contactId: string): JsonObject[];
  /** Whether the contact is archived (false for an unknown id). */
  isArchived(contactId: string): boolean;
  /** The workspace's tags, as `GET /tags` lists them. */
  tags(): JsonObject[];
  /** The data attributes of a model (default contact), standard and custom, archived ones included. */
  dataAttributes(model?: Model): JsonObject[];
  /** The workspace's admins, as `GET /admins` lists them. */
  admins(): JsonObject[];
  /** A deep copy of the whole stored state (the stateFile format). */
  snapshot(): SandboxData;
}

export function stateView(store: Store): SandboxStateView {
  const view = (c: ContactRecord): JsonObject => contactView(store.data, c);
  const live = (c: ContactRecord): boolean => c.merged_into === null;
  return {
    getContact: (id) => {
      const c = store.contact(id);
      return c && view(c);
    },
    findByExternalId: (externalId) => {
      const c = store.data.contacts.find((x) => live(x) && x.external_id === externalId);
      return c && view(c);
    },
    findByEmail: (email) =>
      store.data.contacts.filter((x) => live(x) && x.email.toLowerCase() === email.toLowerCase()).map(view),
    listContacts: () => store.data.contacts.map(view),
    mergedInto: (id) => {
      const c = store.contact(id);
      return c?.merged_into ? store.canonicalId(c) : null;
    },
    companies: () => store.data.companies.map((co) => companyView(store.data, co)),
    getCompany: (id) => {
      const co = store.company(id);
      return co && companyView(store.data, co);
    },
    findCompanyByCompanyId: (companyId) => {
      const co = store.companyByCompanyId(companyId);
      return co && companyView(store.data, co);
    },
    companiesOf: (contactId) => {
      const c = store.contact(contactId);
      return c ? store.attachedCompanies(c).map((co) => companyView(store.data, co)) : [];
    },
    tagsOf: (contactId) => {
      const c = store.contact(contactId);
      if (!c) return [];
      return c.tags.flatMap((t) => {
        const tag = store.data.tags.find((x) => x.id === t.id);
        return tag ? [tagView(tag, t.applied_at)] : [];
      });
    },
    segmentsOf: (contactId) => {
      const c = store.contact(contactId);
      if (!c) return [];
      return store.data.segments.filter((s) => c.segment_ids.includes(s.id)).map(segmentView);
    },
    isArchived: (contactId) => store.contact(contactId)?.archived === true,
    tags: () => store.data.tags.map((t) => ({ type: "tag", id: t.id, name: t.name })),
    dataAttributes: (model = "contact") => [
      ...standardAttributeViews(model),
      ...store.data.data_attributes.filter((a) => a.model === model).map(customAttributeView),
    ],
    admins: () => store.data.admins.map((a) => adminView(a)),
    snapshot: () => structuredClone(store.data),
  };
}
