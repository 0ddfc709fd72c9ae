/**
 * The "Update User" service: connection, steps, review, the update under progress, the result. It knows nothing of
 * `vscode`; extension.ts passes in a Host that shows things, and the domain functions (injected, so tests can count
 * calls and the bundle test runs the real ones).
 */
import type {
  FieldChange,
  FieldSpec,
  IntercomClient,
  IntercomClientOptions,
  LookupResult,
  RequestEvent,
  UpdatePlan,
  UpdateUserError,
  UpdateUserInput,
  UpdateUserOptions,
  UpdateUserOutput,
  UpdateUserResult,
} from "@intercom-kit/domain";
import { type Connection, type ExtensionSettings, resolveConnection } from "./config.js";
import {
  changeLine,
  errorDetails,
  errorMessage,
  fieldErrorLines,
  planLines,
  planSummary,
  requestLine,
  resultDocument,
  resultName,
  successMessage,
  whoIs,
} from "./format.js";
import {
  type Answer,
  type ReviewAnswer,
  runWizard,
  type StepPosition,
  type Validate,
  type WizardStep,
} from "./steps.js";

export interface DomainApi {
  fields: readonly FieldSpec[];
  validate: Validate;
  planUpdate(input: UpdateUserInput, options: { apiVersion?: string }): UpdatePlan;
  lookupUser(client: IntercomClient, input: UpdateUserInput, options?: { signal?: AbortSignal }): Promise<LookupResult>;
  describeChanges(current: UpdateUserOutput, input: UpdateUserInput): FieldChange[];
  updateUser(client: IntercomClient, input: UpdateUserInput, options?: UpdateUserOptions): Promise<UpdateUserResult>;
  createClient(options: IntercomClientOptions): IntercomClient;
}

/** Where calls go and with which token. The token is passed through to the client only; never shown or logged. */
export interface Credentials {
  token: string;
  /** Overrides the settings' server (the sandbox started inside the extension host). */
  baseUrl?: string;
  /** For messages, e.g. "the sandbox". */
  label?: string;
}

export type ReviewContent =
  | {
      kind: "ready";
      who: string;
      changes: Array<{ label: string; description: string }>;
      calls: string[];
      summary: string;
      notes: string[];
    }
  | { kind: "invalid"; errors: string[] };

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Host {
  settings(): ExtensionSettings;
  credentials(): Promise<Credentials | undefined>;
  /** No token yet: offer to set one or start the sandbox; true when credentials may now exist. */
  offerSetup(): Promise<boolean>;
  ask(
    step: WizardStep,
    position: StepPosition,
    value: string,
    check: (text: string) => string | undefined,
  ): Promise<Answer>;
  /** Runs `task` with a busy indicator (looking the user up for the review). */
  busy<T>(title: string, task: () => Promise<T>): Promise<T>;
  review(content: ReviewContent, position: StepPosition): Promise<ReviewAnswer>;
  progress<T>(title: string, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
  showResult(name: string, json: string): Promise<void>;
  info(message: string): void;
  /** Shows an error with buttons; resolves to the chosen one. */
  error(message: string, actions: string[]): Promise<string | undefined>;
  showLog(): void;
  openSettings(): void;
  setToken(): Promise<void>;
  log: Logger;
}

export type UpdateUserOutcome =
  | { status: "updated"; user: UpdateUserOutput }
  | { status: "failed"; error: UpdateUserError }
  | { status: "cancelled" }
  | { status: "not-configured"; message?: string };

export const SHOW_DETAILS = "Show details";
export const SET_TOKEN = "Set Access Token";
export const OPEN_SETTINGS = "Open Settings";

/** Counter for result document names, per extension host (passed in so this module keeps no state). */
export interface Sequence {
  next(): number;
}

export async function runUpdateUser(host: Host, domain: DomainApi, sequence: Sequence): Promise<UpdateUserOutcome> {
  const resolved = resolveConnection(host.settings());
  if (!resolved.ok) {
    host.log.error(resolved.message);
    void host.error(resolved.message, [OPEN_SETTINGS]).then((chosen) => {
      if (chosen === OPEN_SETTINGS) host.openSettings();
    });
    return { status: "not-configured", message: resolved.message };
  }
  let credentials = await host.credentials();
  if (!credentials && (await host.offerSetup())) credentials = await host.credentials();
  if (!credentials) return { status: "not-configured" };

  const client = createClient(domain, resolved.connection, credentials, host.log);
  host.log.info(`Update User: calls go to ${client.baseUrl} with Intercom-Version ${client.version}`);

  let lookupFailure: UpdateUserError | undefined;
  const reviews = new Map<string, LookupResult>();
  const wizard = await runWizard(domain.fields, domain.validate, {
    ask: (step, position, value, check) => host.ask(step, position, value, check),
    review: async (validation, position) => {
      if (!validation.ok) return host.review({ kind: "invalid", errors: fieldErrorLines(validation.errors) }, position);
      const input = validation.input;
      const key = JSON.stringify(input);
      let lookup = reviews.get(key);
      if (!lookup) {
        lookup = await host.busy("Looking up the user…", () => domain.lookupUser(client, input));
        reviews.set(key, lookup);
      }
      if (!lookup.ok) {
        lookupFailure = lookup.error;
        return "cancel";
      }
      const plan = domain.planUpdate(input, { apiVersion: client.version });
      const changes = domain.describeChanges(lookup.user, input);
      return host.review(
        {
          kind: "ready",
          who: whoIs(lookup.user),
          changes: changes.map(changeLine),
          calls: planLines(plan),
          summary: planSummary(plan),
          notes: plan.notes,
        },
        position,
      );
    },
  });
  if (lookupFailure) return fail(host, lookupFailure);
  if (wizard.status === "cancelled") {
    host.log.info("Update User: cancelled before anything was sent");
    return { status: "cancelled" };
  }

  const input = wizard.input;
  const result = await host.progress("Updating the Intercom user", (report, signal) =>
    domain.updateUser(client, input, {
      signal,
      onStep: (_step, label) => {
        report(label);
        host.log.info(`step: ${label}`);
      },
    }),
  );
  if (!result.ok) return fail(host, result.error);

  const name = resultName(result.user, sequence.next());
  await host.showResult(name, resultDocument(result.user));
  const message = successMessage(result.user, result.applied, result.notes);
  host.log.info(message);
  host.info(message);
  return { status: "updated", user: result.user };
}

function createClient(
  domain: DomainApi,
  connection: Connection,
  credentials: Credentials,
  log: Logger,
): IntercomClient {
  const options: IntercomClientOptions = {
    token: credentials.token,
    region: connection.region,
    version: connection.version,
    onEvent: (event: RequestEvent) => {
      const line = requestLine(event);
      if (event.outcome === "failed") log.warn(line);
      else log.info(line);
    },
  };
  const baseUrl = credentials.baseUrl ?? connection.baseUrl;
  if (baseUrl !== undefined) options.baseUrl = baseUrl;
  return domain.createClient(options);
}

function fail(host: Host, error: UpdateUserError): UpdateUserOutcome {
  for (const line of errorDetails(error)) host.log.error(line);
  if (error.kind === "aborted") {
    host.info(errorMessage(error));
    return { status: "failed", error };
  }
  const actions = error.kind === "unauthorized" ? [SET_TOKEN, SHOW_DETAILS] : [SHOW_DETAILS];
  // Not awaited: a notification's promise settles only when the person acts on it or closes it.
  void host.error(errorMessage(error), actions).then(async (chosen) => {
    if (chosen === SHOW_DETAILS) host.showLog();
    if (chosen === SET_TOKEN) await host.setToken();
  });
  return { status: "failed", error };
}
