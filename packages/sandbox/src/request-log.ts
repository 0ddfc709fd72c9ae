export interface RecordedRequest {
  requestId: string;
  method: string;
  /** Path without query, e.g. "/contacts/abc". */
  path: string;
  /** The route template, e.g. "/contacts/:contact_id", or null when no route matched. */
  route: string | null;
  query: Record<string, string>;
  /** Intercom-Version as sent (null when absent). */
  version: string | null;
  /** Accept as sent (null when absent). */
  accept: string | null;
  /** The parsed JSON body, if any. Never the headers (so never the token). */
  body: unknown;
  status: number;
  /** Indexes of the fault rules that fired. */
  faults: number[];
  /** Clock time (ms) when the request arrived. */
  at: number;
}

/** The last `max` Intercom requests, oldest first. */
export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly max: number) {}

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries = this.entries.slice(this.entries.length - this.max);
  }

  /** A deep copy (callers may keep or change it). */
  list(): RecordedRequest[] {
    return structuredClone(this.entries);
  }

  clear(): void {
    this.entries = [];
  }
}
