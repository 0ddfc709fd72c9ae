/**
 * The set-up a client test file shares: a script server started once, a fake clock and an event log fresh for each
 * test, and a client with jitter in the middle (random() = 0.5: backoff exactly 1 s * 2^n) whose every event goes
 * through the token leak trap.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  createIntercomClient,
  type IntercomClient,
  type IntercomClientOptions,
  type RequestEvent,
} from "../../src/index.js";
import { type FakeClock, fakeClock } from "./fake-clock.js";
import { leakTrap } from "./leak-trap.js";
import { type ScriptServer, startScriptServer } from "./script-server.js";

export interface ScriptedClient {
  readonly trap: ReturnType<typeof leakTrap>;
  readonly server: ScriptServer;
  readonly clock: FakeClock;
  readonly events: RequestEvent[];
  client(extra?: Partial<IntercomClientOptions>): IntercomClient;
}

export function scriptedClient(token: string): ScriptedClient {
  const trap = leakTrap(token);
  let server: ScriptServer | undefined;
  let clock = fakeClock();
  let events: RequestEvent[] = [];
  beforeAll(async () => {
    server = await startScriptServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.reset();
    clock = fakeClock();
    events = [];
  });
  const running = (): ScriptServer => {
    if (!server) throw new Error("the script server has not started");
    return server;
  };
  return {
    trap,
    get server() {
      return running();
    },
    get clock() {
      return clock;
    },
    get events() {
      return events;
    },
    client: (extra = {}) =>
      createIntercomClient({
        token,
        baseUrl: running().url,
        clock,
        random: () => 0.5,
        onEvent: (e) => events.push(trap.add(e)),
        ...extra,
      }),
  };
}
