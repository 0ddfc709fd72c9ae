import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdminHandler, isAdminPath } from "./admin.js";
import { Delays } from "./delays.js";
import { errorBody } from "./errors.js";
import { checkFaultRules, FaultPlan, type FaultRule } from "./faults.js";
import { readBody, sendJson } from "./http-io.js";
import type { SandboxData } from "./model.js";
import { resolveOptions, type SandboxOptions, type Settings } from "./options.js";
import { readState, writeStateAtomic } from "./persist.js";
import { createIntercomHandler } from "./pipeline.js";
import { RateLimiter } from "./rate-limit.js";
import { type RecordedRequest, RequestLog } from "./request-log.js";
import { createSeedData } from "./seed.js";
import { type SandboxStateView, Store, stateView } from "./store.js";

export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  type ResponseMeta,
  type SandboxOptions,
} from "./options.js";
export type { RecordedRequest } from "./request-log.js";
export { DEFAULT_VERSION, INTERCOM_VERSIONS } from "./versions.js";

export interface Sandbox {
  /** e.g. "http://127.0.0.1:43127" (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The bearer token (not enumerable, so logging the object does not print it). */
  readonly token: string;
  /** Inspect the state directly (no HTTP, no rate limit). */
  readonly state: SandboxStateView;
  /** Replace the fault rules (and restart their counters; with `seed`, restart the PRNG). */
  setFaults(rules: FaultRule[], seed?: number): void;
  faults(): { rules: FaultRule[]; seed: number };
  /** Back to the start data (`options.data`, else the seed; also written to the state file) and clear the request log. */
  reset(): void;
  /** The Intercom requests served so far, oldest first (at most the last 10 000). */
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** Close the server and every open socket; pending delayed responses are dropped. */
  stop(): Promise<void>;
}

const MAX_LOG = 10_000;

/** The start data: a copy of `options.data`, else a fresh seed. */
function startData(settings: Settings): SandboxData {
  return settings.data ? structuredClone(settings.data) : createSeedData();
}

/** The state file's content when it exists, else the start data (then written to the file). */
function openStore(settings: Settings): Store {
  const loaded = settings.stateFile ? readState(settings.stateFile) : undefined;
  const store = new Store(loaded ?? startData(settings), settings.stateFile);
  if (settings.stateFile && !loaded) writeStateAtomic(settings.stateFile, store.data);
  return store;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts a sandbox on 127.0.0.1. Resolves once it is listening. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings = resolveOptions(options);
  const store = openStore(settings);
  const limiter = new RateLimiter(settings.rateLimitPerMinute);
  const faults = new FaultPlan(settings.faults, settings.seed);
  const log = new RequestLog(MAX_LOG);
  const delays = new Delays();
  let baseUrl = "";

  const reset = (): void => {
    store.replace(startData(settings));
    log.clear();
  };
  const handleIntercom = createIntercomHandler({
    settings,
    store,
    limiter,
    faults,
    log,
    delays,
    baseUrl: () => baseUrl,
  });
  const handleAdmin = createAdminHandler({ token: settings.token, store, faults, log, reset });

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://127.0.0.1");
    } catch {
      sendJson(res, 400, errorBody(randomUUID(), "bad_request", "Malformed request URL"), {});
      return;
    }
    const work = isAdminPath(url.pathname)
      ? readBody(req, settings.maxBodyBytes).then((raw) => {
          if (raw.tooLarge) sendJson(res, 400, errorBody(randomUUID(), "bad_request", "Request body too large"), {});
          else handleAdmin(req, res, url, raw.text);
        })
      : handleIntercom(req, res, url);
    work.catch(() => sendJson(res, 500, errorBody(randomUUID(), "server_error", "Server Error"), {}));
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });

  const port = await listen(server, settings.port);
  baseUrl = `http://127.0.0.1:${port}`;

  let stopped: Promise<void> | undefined;
  const api: Sandbox = {
    url: baseUrl,
    port,
    token: settings.token,
    state: stateView(store),
    setFaults(rules, seed) {
      const problem = checkFaultRules(rules);
      if (problem) throw new Error(problem);
      faults.set(rules, seed);
    },
    faults: () => faults.get(),
    reset,
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        // Delayed requests wake up, see `stopped` and drop their response.
        delays.stopAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
  Object.defineProperty(api, "token", { value: settings.token, enumerable: false });
  return api;
}
