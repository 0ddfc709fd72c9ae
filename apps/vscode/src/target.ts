/**
 * Which server "Update User" talks to, chosen by the domain's `chooseBackend`: the sandbox started inside the
 * extension host while one runs, otherwise Intercom (the region/baseUrl settings) with the access token from secret
 * storage. Setting or clearing the access token stops the in-host sandbox, so the choice never goes stale; "Start
 * Sandbox" starts a fresh one afterwards. No `vscode` here: extension.ts owns one slot per activation and passes it in.
 */
import { type Backend, chooseBackend, type TokenSource, type UpdateUserError } from "@intercom-kit/domain";
import { backendRequest, type ExtensionSettings, SETTING_NAMES, TOKEN_SOURCE_LABEL } from "./config.js";

/** What this module needs of a started sandbox (the `Sandbox` of @intercom-kit/sandbox fits). */
export interface RunningSandbox {
  readonly url: string;
  readonly token: string;
  stop(): Promise<void>;
}

/** The in-host sandbox of one activation: the running one, and a start still in flight. */
export interface SandboxSlot<S extends RunningSandbox = RunningSandbox> {
  current?: S;
  starting?: Promise<S>;
}

/**
 * Returns the running sandbox, starting one when none runs; two quick calls share one start (`started` is true for
 * the call that started it only).
 */
export async function useSandbox<S extends RunningSandbox>(
  slot: SandboxSlot<S>,
  start: () => Promise<S>,
): Promise<{ sandbox: S; started: boolean }> {
  if (slot.current) return { sandbox: slot.current, started: false };
  if (slot.starting) return { sandbox: await slot.starting, started: false };
  const starting = start()
    .then((sandbox) => {
      slot.current = sandbox;
      return sandbox;
    })
    .finally(() => {
      slot.starting = undefined;
    });
  slot.starting = starting;
  return { sandbox: await starting, started: true };
}

/**
 * Stops the in-host sandbox (waiting for a start in flight first) so calls go to Intercom again; true when one was
 * running. The slot is emptied before the server stops, so no call can pick it meanwhile.
 */
export async function releaseSandbox(slot: SandboxSlot): Promise<boolean> {
  if (slot.starting) await slot.starting.catch(() => undefined);
  const sandbox = slot.current;
  if (!sandbox) return false;
  slot.current = undefined;
  await sandbox.stop();
  return true;
}

export interface ConnectDeps {
  settings: ExtensionSettings;
  slot: SandboxSlot;
  /** Reads the access token from secret storage (only when no sandbox runs). */
  readToken: () => Promise<string | undefined>;
}

export type Connection =
  | { ok: true; backend: Backend }
  /** Neither a running sandbox nor a stored token: the person is offered to set one or start the sandbox. */
  | { ok: false; reason: "no-token" }
  | { ok: false; reason: "error"; error: UpdateUserError };

/**
 * The back end for one command. The settings are checked by the domain first (a bad value is an error naming the
 * setting); then the running in-host sandbox wins, else the token in secret storage. No token is not an error here:
 * VS Code offers to set one or to start the sandbox, where a terminal would start the sandbox on its own.
 */
export async function connect(deps: ConnectDeps): Promise<Connection> {
  const running = deps.slot.current;
  let asked = false;
  let found = false;
  const secretStorage: TokenSource = {
    label: TOKEN_SOURCE_LABEL,
    read: async () => {
      asked = true;
      const token = await deps.readToken();
      found = token !== undefined && token.trim() !== "";
      return found ? { token } : {};
    },
  };
  const chosen = await chooseBackend(backendRequest(deps.settings, { sandbox: running !== undefined }), {
    tokenSources: running ? [] : [secretStorage],
    // Only reached while the in-host sandbox runs: it is that one, which this command does not own (no close).
    startSandbox: async () => {
      const sandbox = deps.slot.current ?? running;
      if (!sandbox) throw new Error("the sandbox was stopped");
      return { url: sandbox.url, token: sandbox.token, close: async () => {} };
    },
    names: SETTING_NAMES,
  });
  if (!running && asked && !found) return { ok: false, reason: "no-token" };
  if (!chosen.ok) return { ok: false, reason: "error", error: chosen.error };
  const started = await chosen.choice.start();
  return started.ok ? { ok: true, backend: started.backend } : { ok: false, reason: "error", error: started.error };
}
