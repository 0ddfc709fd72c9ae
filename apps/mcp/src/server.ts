/**
 * The MCP server: the three tools registered with their schemas (from the field table) and annotations, each call's
 * progress logged to stderr and, when the client asked for it, sent as progress notifications.
 */
import { escapeControl, type StepEvent } from "@intercom-kit/domain";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { duration, instructions, internalError } from "./messages.js";
import {
  applyUserUpdateInput,
  applyUserUpdateOutput,
  findUserInput,
  findUserOutput,
  planUserUpdateInput,
  planUserUpdateOutput,
} from "./schemas.js";
import {
  applyUserUpdate,
  failure,
  findUser,
  planUserUpdate,
  type Run,
  type ToolDeps,
  type ToolResult,
} from "./tools.js";

export interface ServerDeps extends ToolDeps {
  version: string;
  /** One line to the log (stderr); never stdout, which carries the protocol. */
  log: (line: string) => void;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
type Service = (deps: ToolDeps, args: Record<string, unknown>, run: Run) => Promise<ToolResult>;

export const TOOL_NAMES = ["find_user", "plan_user_update", "apply_user_update"] as const;

/** Runs a service for one call: progress to the log and to the client, failures as results, never a stack. */
function handler(name: string, service: Service, deps: ServerDeps) {
  return async (args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => {
    const progressToken = extra._meta?.progressToken;
    let progress = 0;
    const sent: Promise<void>[] = [];
    const onStep = (event: StepEvent) => {
      deps.log(`${name}: ${event.label}: ${event.state}`);
      if (progressToken === undefined) return;
      progress += 1;
      const notification = extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken, progress, message: escapeControl(`${event.label}: ${event.state}`) },
      });
      sent.push(notification.catch(() => {}));
    };
    let result: ToolResult;
    try {
      result = await service(deps, args, { signal: extra.signal, onStep });
    } catch (error) {
      deps.log(`${name}: failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
      result = failure(deps, internalError(error));
    }
    // Progress sent after the result would be dropped by the client: let every notification go out first.
    await Promise.all(sent);
    const error = result.structured.error as { kind?: string } | undefined;
    const outcome = typeof result.structured.outcome === "string" ? ` (${result.structured.outcome})` : "";
    deps.log(`${name}: ${result.isError ? `error ${error?.kind ?? ""}` : "ok"}${outcome}`);
    return {
      content: [{ type: "text", text: result.text }],
      structuredContent: result.structured,
      ...(result.isError ? { isError: true } : {}),
    };
  };
}

export function createServer(deps: ServerDeps): McpServer {
  const server = new McpServer(
    { name: "intercom-kit", title: "intercom-kit: update an Intercom user", version: deps.version },
    { instructions: instructions(deps.backend, deps.plans.ttlMs) },
  );

  server.registerTool(
    "find_user",
    {
      title: "Find an Intercom user",
      description:
        'Look a user up by exactly one of userId (your own ID for them), intercomId or lookupEmail, and return their whole record (companies, tags, segments, custom attributes). Reads only. An email several users share returns error kind "ambiguous" with the candidates (id, user ID, email, name, role): ask which one is meant and use its intercomId.',
      inputSchema: findUserInput(),
      outputSchema: findUserOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    handler("find_user", findUser, deps),
  );

  server.registerTool(
    "plan_user_update",
    {
      title: "Plan a user update (writes nothing)",
      description:
        "Validate a change to one user and check everything that could make it fail (another contact with the new email or user ID, an unknown company, custom attribute or owner, a user who cannot take the role) before anything is written. Returns current -> new values (changes), the exact calls apply_user_update would make (method, path, body, purpose), notes, and a plan_id. Identify the user by exactly one of userId, intercomId or lookupEmail, and give at least one change. Nothing is written: show the changes to the person, then call apply_user_update with the plan_id. Problems come back all at once in error.problems, and then there is no plan_id.",
      inputSchema: planUserUpdateInput(),
      outputSchema: planUserUpdateOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    handler("plan_user_update", planUserUpdate, deps),
  );

  server.registerTool(
    "apply_user_update",
    {
      title: "Apply a planned user update",
      description: `Apply exactly the plan plan_user_update returned (by plan_id): only what differs is written, and a write whose answer was lost is read back, so the outcome is certain: applied, unchanged, partial (some writes made, then one failed) or unknown (a write may have been made; planning and applying again is safe). A plan is applied at most once, expires ${duration(deps.plans.ttlMs)} after it was made, and is refused (error kind "stale", nothing written) when the user changed after it was made: plan again then. Returns the outcome and the user's record.`,
      inputSchema: applyUserUpdateInput(),
      outputSchema: applyUserUpdateOutput,
      // It overwrites values (the old email is gone), removes tags and can archive: not additive, so destructive.
      // The same plan_id twice changes nothing the second time (refused), so it is idempotent.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    handler("apply_user_update", applyUserUpdate, deps),
  );

  return server;
}
