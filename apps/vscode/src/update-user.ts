/**
 * The "Update User" service: the back end, the steps (with the lookup right after the identify step), the review
 * built from `prepareUpdate`, `applyUpdate` of exactly the plan reviewed, the result. It knows nothing of `vscode`;
 * extension.ts passes in a Host that shows things. The domain is called directly: tests run it against a real sandbox.
 */
import {
  applyUpdate,
  type Backend,
  type Contact,
  describeRequestEvent,
  type FieldSpec,
  type IdentifyBy,
  type IntercomClient,
  lookupUser,
  plural,
  prepareUpdate,
  type RequestEvent,
  type StepEvent,
  type UpdateUserError,
  type UpdateUserInput,
  type UpdateUserOutput,
  type UpdateUserResult,
  validateUpdateUserInput,
} from "@intercom-kit/domain";
import type { ExtensionSettings } from "./config.js";
import {
  backendName,
  failureLogLines,
  failureText,
  lookupTitle,
  OPEN_SETTINGS,
  resultDocument,
  resultName,
  SET_TOKEN,
  SHOW_DETAILS,
  START_SANDBOX,
  successMessage,
  type TokenCheck,
} from "./format.js";
import { runWizard, type WizardState, type WizardUi } from "./steps.js";
import { connect, type SandboxSlot } from "./target.js";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What the service needs VS Code to show or do. */
export interface Host {
  settings(): ExtensionSettings;
  readToken(): Promise<string | undefined>;
  slot: SandboxSlot;
  /** No token yet: offer to set one or start the sandbox; true when the person did one of them. */
  offerSetup(): Promise<boolean>;
  ui: WizardUi;
  /** Runs `task` under a cancellable progress notification titled `title`; `report` sets its message. */
  progress<T>(title: string, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
  showResult(name: string, json: string): Promise<void>;
  info(message: string): void;
  /** Shows an error with buttons; resolves to the chosen one. */
  error(message: string, actions: string[]): Promise<string | undefined>;
  showLog(): void;
  openSettings(): void;
  setToken(): Promise<unknown>;
  startSandbox(): Promise<unknown>;
  log: Logger;
}

export type UpdateUserOutcome =
  | { status: "updated"; user: UpdateUserOutput; result: Extract<UpdateUserResult, { ok: true }> }
  | { status: "failed"; error: UpdateUserError }
  | { status: "cancelled" }
  | { status: "not-configured"; error?: UpdateUserError };

/** The last result, for "Show Last Result". */
export interface LastResult {
  name: string;
  json: string;
}

export interface ServiceOptions {
  fields: readonly FieldSpec[];
  /** Keeps the last result for "Show Last Result" (the session owns it; this module keeps no state). */
  remember?: (result: LastResult) => void;
  /** The answers to start from (the fields chosen last time in this window). */
  initial?: WizardState;
  /** Called with the final answers, so the next run can start from the same choice. */
  keep?: (state: WizardState) => void;
}

/** A request line for the log: the domain's sentence for retries and waits, else the attempt's facts. */
function requestLogLine(event: RequestEvent): string {
  const said = describeRequestEvent(event);
  if (said) return said;
  const status = event.status === null ? "no answer" : String(event.status);
  const id = event.requestId ? `, request id ${event.requestId}` : "";
  return `${event.method} ${event.path} → ${status}, ${Math.round(event.durationMs)} ms${id}${event.attempt > 1 ? `, attempt ${event.attempt}` : ""}`;
}

/** The back end for a command: the settings checked, the sandbox or the token; with no token, the offer to set one. */
export async function backendFor(
  host: Host,
): Promise<{ ok: true; backend: Backend } | { ok: false; error?: UpdateUserError }> {
  const deps = () => ({ settings: host.settings(), slot: host.slot, readToken: () => host.readToken() });
  let connection = await connect(deps());
  if (!connection.ok && connection.reason === "no-token" && (await host.offerSetup()))
    connection = await connect(deps());
  if (connection.ok) return connection;
  if (connection.reason === "no-token") return { ok: false };
  const error = connection.error;
  host.log.error(failureText(error));
  const actions = error.kind === "unauthorized" ? [SET_TOKEN, START_SANDBOX] : [OPEN_SETTINGS];
  void host.error(failureText(error), actions).then(async (chosen) => {
    if (chosen === OPEN_SETTINGS) host.openSettings();
    if (chosen === SET_TOKEN) await host.setToken();
    if (chosen === START_SANDBOX) await host.startSandbox();
  });
  return { ok: false, error };
}

/** A client whose request events go to the log, and to the progress notification shown at the time. */
function clientFor(
  backend: Backend,
  log: Logger,
): { client: IntercomClient; progress: { report?: (m: string) => void } } {
  const progress: { report?: (m: string) => void } = {};
  const client = backend.createClient({
    onEvent: (event: RequestEvent) => {
      const line = requestLogLine(event);
      if (event.outcome === "failed") log.warn(line);
      else log.info(line);
      const said = describeRequestEvent(event);
      if (said) progress.report?.(said);
    },
  });
  return { client, progress };
}

export async function runUpdateUser(host: Host, options: ServiceOptions): Promise<UpdateUserOutcome> {
  const { fields } = options;
  const chosen = await backendFor(host);
  if (!chosen.ok) return { status: "not-configured", ...(chosen.error ? { error: chosen.error } : {}) };
  const backend = chosen.backend;
  const { client, progress } = clientFor(backend, host.log);
  host.log.info(`Update User: calls go to ${client.baseUrl} with Intercom-Version ${client.version}`);
  const where = backendName(backend.info);

  /** Runs a domain call under the progress notification; its steps and retries are the notification's message. */
  /**
   * Runs a domain call under the progress notification. Its message is why the call waits (the domain's request line
   * for a retry or a rate-limit wait) while it waits, else the calls in flight, writes first.
   */
  const underProgress = <T>(title: string, task: (signal: AbortSignal, onStep: (e: StepEvent) => void) => Promise<T>) =>
    host.progress(title, (report, signal) => {
      const inFlight = new Map<string, StepEvent>();
      let waiting: string | undefined;
      const show = () => {
        const calls = [...inFlight.values()].sort((a, b) => Number(b.phase === "write") - Number(a.phase === "write"));
        const [first] = calls;
        const doing = first
          ? `${first.label}${calls.length > 1 ? ` (and ${plural(calls.length - 1, "other call")})` : ""}`
          : "";
        if (waiting ?? doing) report(waiting ?? doing);
      };
      progress.report = (line) => {
        waiting = line;
        show();
      };
      const onStep = (e: StepEvent) => {
        if (e.state === "started") inFlight.set(e.step, e);
        else {
          inFlight.delete(e.step);
          // A read finishing beside a waiting write does not end the wait; the write (or the last call) does.
          if (e.phase === "write" || inFlight.size === 0) waiting = undefined;
        }
        show();
        host.log.info(`step ${e.step}: ${e.state}`);
      };
      return task(signal, onStep).finally(() => {
        progress.report = undefined;
      });
    });

  let initial: WizardState = options.initial ?? { values: {} };
  let resume = false;
  for (;;) {
    const wizard = await runWizard(
      fields,
      {
        validate: validateUpdateUserInput,
        apiVersion: client.version,
        lookup: (identify) => {
          const [key, value] = Object.entries(identify)[0] ?? ["userId", ""];
          const field = fields.find((f) => f.key === (key as IdentifyBy));
          return underProgress(lookupTitle(field, value ?? "", backend.info), (signal, onStep) =>
            lookupUser(client, identify, { signal, onStep }),
          );
        },
        prepare: (input: UpdateUserInput, o: { contact?: Contact; createMissingAttributes: boolean }) =>
          underProgress(`Checking the update with ${where}…`, (signal, onStep) =>
            prepareUpdate(client, input, { ...o, signal, onStep }),
          ),
      },
      host.ui,
      initial,
      { resume },
    );
    options.keep?.(wizard.state);
    if (wizard.status === "cancelled") {
      host.log.info("Update User: cancelled before anything was written");
      return { status: "cancelled" };
    }
    const plan = wizard.plan;
    const result = await underProgress(`Updating the user on ${where}…`, (signal, onStep) =>
      applyUpdate(client, plan, { signal, onStep, refuseIfChanged: true }),
    );
    if (!result.ok) {
      if (result.error.kind === "stale") {
        // Changed elsewhere since the review: nothing was written; review again against the user as they are now.
        host.info(failureText(result.error, fields));
        initial = wizard.state;
        resume = true;
        continue;
      }
      return fail(host, result.error, fields);
    }
    const name = resultName(result.user);
    const json = resultDocument(result.user);
    options.remember?.({ name, json });
    await host.showResult(name, json);
    const message = successMessage(result, fields, plan.notes);
    host.log.info(message);
    host.info(message);
    return { status: "updated", user: result.user, result };
  }
}

function fail(host: Host, error: UpdateUserError, fields: readonly FieldSpec[]): UpdateUserOutcome {
  for (const line of failureLogLines(error, fields)) host.log.error(line);
  const text = failureText(error, fields);
  if (error.kind === "aborted" && !error.applied?.length && !error.unknown?.length) {
    host.info(text);
    return { status: "failed", error };
  }
  const actions = error.kind === "unauthorized" ? [SET_TOKEN, SHOW_DETAILS] : [SHOW_DETAILS];
  // Not awaited: a notification's promise settles only when the person acts on it or closes it.
  void host.error(text, actions).then(async (chosen) => {
    if (chosen === SHOW_DETAILS) host.showLog();
    if (chosen === SET_TOKEN) await host.setToken();
  });
  return { status: "failed", error };
}

/** A contact search by an email nobody has: the cheapest call that proves the token (see decision 0006). */
export const TOKEN_CHECK_EMAIL = "token-check@intercom-kit.invalid";

/**
 * Whether the back end accepts the token: one search (`lookupUser` by an email nobody has). An empty answer (200,
 * nobody found) means accepted; a 404 does not (a wrong base URL answering 404 to everything must not pass).
 */
export async function checkToken(client: IntercomClient, signal?: AbortSignal): Promise<TokenCheck> {
  const result = await lookupUser(
    client,
    { lookupEmail: TOKEN_CHECK_EMAIL },
    { output: "contact", ...(signal ? { signal } : {}) },
  );
  if (result.ok) return { ok: true };
  const error = result.error;
  if ((error.kind === "not_found" && error.status === undefined) || error.kind === "ambiguous") return { ok: true };
  return { ok: false, error, rejected: error.kind === "unauthorized" || error.kind === "forbidden" };
}
