/** One sandbox per integration test file, and the few things every such file asks of it. */
import { createIntercomClient, type IntercomClient, type IntercomClientOptions } from "@intercom-kit/core";
import { type Sandbox, type SandboxOptions, startSandbox } from "@intercom-kit/sandbox";
import { afterAll, beforeAll, beforeEach } from "vitest";

export interface FileSandbox {
  /** The running sandbox (throws before `beforeAll` has started it). */
  readonly sb: Sandbox;
  /** A client for it: retries on, waits capped at a few ms so fault tests run fast. */
  client(over?: Partial<IntercomClientOptions>): IntercomClient;
  /** Requests that changed, or could have changed, Intercom: any PUT or DELETE, any POST but a search. */
  writes(): string[];
}

/**
 * Starts a sandbox before the file's tests, gives each test a fresh one (state, faults and request log reset), and
 * stops it after them.
 */
export function fileSandbox(options: SandboxOptions = {}): FileSandbox {
  let current: Sandbox | undefined;
  beforeAll(async () => {
    current = await startSandbox(options);
  });
  afterAll(async () => {
    await current?.stop();
  });
  beforeEach(() => {
    current?.reset();
    current?.setFaults([]);
  });
  const sb = (): Sandbox => {
    if (!current) throw new Error("the sandbox has not started");
    return current;
  };
  return {
    get sb() {
      return sb();
    },
    client: (over = {}) => createIntercomClient({ token: sb().token, baseUrl: sb().url, maxDelayMs: 5, ...over }),
    writes: () =>
      sb()
        .requests()
        .filter(
          (r) => r.method === "PUT" || r.method === "DELETE" || (r.method === "POST" && r.route !== "/contacts/search"),
        )
        .map((r) => `${r.method} ${r.route ?? r.path}`),
  };
}
