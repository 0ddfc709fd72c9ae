import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface JsonReply {
  status?: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless `raw` is given. */
  json?: unknown;
  /** Sent as is. */
  raw?: string;
  /** Answer after this many real milliseconds. */
  delayMs?: number;
}

/**
 * `hang`: read the request, never answer. `destroy`: read the request, then close the connection without an answer.
 * `reset`: the same with a TCP RST (the client sees ECONNRESET).
 */
export type Fault = "hang" | "destroy" | "reset";
export type Reply = JsonReply | Fault | ((request: RecordedRequest, index: number) => JsonReply | Fault);

export interface ScriptServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  /** Most requests seen in progress at the same time. */
  maxConcurrent: number;
  /** Replies for the next requests, in order; when they run out, `fallback` answers. */
  script(...replies: Reply[]): void;
  fallback: Reply;
  /** Forgets scripted replies not used yet and recorded requests, and restores the default fallback. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_FALLBACK: JsonReply = { status: 200, json: { type: "contact", id: "fallback" } };

/** A real HTTP server on 127.0.0.1 (free port) that answers what each test scripts and records what it got. */
export async function startScriptServer(): Promise<ScriptServer> {
  const queue: Reply[] = [];
  const sockets = new Set<Socket>();
  let inProgress = 0;
  const state: ScriptServer = {
    url: "",
    requests: [],
    maxConcurrent: 0,
    script: (...replies) => {
      queue.push(...replies);
    },
    fallback: DEFAULT_FALLBACK,
    reset: () => {
      queue.length = 0;
      state.requests.length = 0;
      state.maxConcurrent = 0;
      state.fallback = DEFAULT_FALLBACK;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const answer = (res: ServerResponse, reply: JsonReply) => {
    const body = reply.raw ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.raw === undefined && reply.json !== undefined && !("content-type" in headers)) {
      headers["content-type"] = "application/json";
    }
    res.writeHead(reply.status ?? 200, headers);
    res.end(body);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inProgress++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inProgress);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inProgress--;
      }
    };
    res.on("close", finish);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      const index = state.requests.length;
      state.requests.push(recorded);
      let reply = queue.length > 0 ? (queue.shift() as Reply) : state.fallback;
      if (typeof reply === "function") reply = reply(recorded, index);
      if (reply === "hang") return;
      if (reply === "destroy" || reply === "reset") {
        finish();
        if (reply === "reset") req.socket.resetAndDestroy();
        else req.socket.destroy();
        return;
      }
      const r = reply;
      if (r.delayMs) setTimeout(() => answer(res, r), r.delayMs);
      else answer(res, r);
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
