/**
 * Which server "Update User" talks to: the sandbox started inside the extension host while one runs, otherwise
 * Intercom (the region/baseUrl settings) with the stored access token. Setting or clearing the access token stops the
 * in-host sandbox, so the choice never goes stale; "Start Sandbox" starts a fresh one afterwards. No `vscode` here:
 * extension.ts owns one slot per activation and passes it in.
 */
import type { Credentials } from "./update-user.js";

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

/** The sandbox while one runs, else the stored token (read only then); undefined when neither exists. */
export async function chooseCredentials(
  slot: SandboxSlot,
  readToken: () => Promise<string | undefined>,
): Promise<Credentials | undefined> {
  if (slot.current) return { token: slot.current.token, baseUrl: slot.current.url, label: "the sandbox" };
  const token = await readToken();
  return token ? { token } : undefined;
}
