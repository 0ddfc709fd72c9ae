/** Shared by the bulk sandbox tests: many generated contacts, and a virtual clock for pacing tests. */
import { type ContactRecord, createSeedData, type SandboxData, SEED } from "@intercom-kit/sandbox";

/** Ids like the sandbox's own (24 hex characters), distinct from seeded ones. */
export function bulkContactId(i: number): string {
  return `b0b0b0b0${i.toString(16).padStart(16, "0")}`;
}

/** The seed data plus `n` plain users: external id `bulk-<i>`, email `bulk<i>@example.com`, i from 1. */
export function bulkSandboxData(n: number): SandboxData {
  const data = createSeedData();
  const template = data.contacts.find((c) => c.id === SEED.plainUser.id) as ContactRecord;
  for (let i = 1; i <= n; i++) {
    data.contacts.push({
      ...structuredClone(template),
      id: bulkContactId(i),
      external_id: `bulk-${i}`,
      email: `bulk${i}@example.com`,
      name: null,
      phone: null,
      company_ids: [],
      tags: [],
      segment_ids: [],
      custom_attributes: {},
    });
  }
  return data;
}

/**
 * Time shared by the sandbox (rate-limit windows) and the client (pacing waits): sleeping moves it forward at once,
 * so a run spanning many 10-second windows takes milliseconds. Timeouts stay on real time (core uses setTimeout).
 */
export function virtualClock(startMs: number) {
  let t = startMs;
  return {
    now: () => t,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const target = t + Math.max(0, ms);
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          t = Math.max(t, target);
          resolve();
        }),
      );
    },
  };
}
