import {
  type ApplyOptions,
  applyUpdate,
  type ClientOverrides,
  FIELDS,
  type FieldSpec,
  type IntercomClient,
  type PreparedUpdate,
  type PrepareOptions,
  type PrepareResult,
  prepareUpdate,
  type RawUpdateUserInput,
  type RequestEvent,
  type UpdateUserError,
  type UpdateUserInput,
  type UpdateUserResult,
  type ValidationResult,
  validateUpdateUserInput,
} from "@intercom-kit/domain";

/**
 * The "update a user" action as the UI and the commands see it: the domain's prepare and apply bound to one client.
 * Components take this as a prop, so their tests inject fakes or a client of a real sandbox.
 */
export interface UserAction {
  fields: readonly FieldSpec[];
  /** The Intercom-Version the client sends; validation refuses fields newer than it. */
  apiVersion: string;
  validate(raw: RawUpdateUserInput): ValidationResult;
  /** Lookup and pre-flight (reads only): the plan, or every problem at once. */
  prepare(input: UpdateUserInput | RawUpdateUserInput, options?: PrepareOptions): Promise<PrepareResult>;
  /** Exactly the plan's writes. */
  apply(plan: PreparedUpdate, options?: ApplyOptions): Promise<UpdateUserResult>;
  /** Every attempt the client makes (retries and rate-limit waits included), for a status line. Returns unsubscribe. */
  onRequestEvent(listener: (event: RequestEvent) => void): () => void;
}

/** A client that could not be made (e.g. the embedded sandbox did not start), as the domain's error value. */
export class ClientUnavailableError extends Error {
  constructor(readonly error: UpdateUserError) {
    super(error.message);
  }
}

/** Makes the client with the action's event hook; may wait (the embedded sandbox starts while the form is filled). */
export type ClientFactory = (overrides: ClientOverrides) => IntercomClient | Promise<IntercomClient>;

/**
 * Binds prepare and apply to a client made on first use. Creating a client touches `globalThis.fetch`, which makes
 * Node load its HTTP stack (~40 ms), and the embedded sandbox may still be starting: the first frame of the UI waits
 * for neither.
 */
export function createUserAction(makeClient: ClientFactory, apiVersion: string): UserAction {
  const listeners = new Set<(event: RequestEvent) => void>();
  let made: Promise<IntercomClient> | null = null;
  const client = () => {
    made ??= Promise.resolve().then(() =>
      makeClient({
        onEvent: (event) => {
          for (const listener of listeners) listener(event);
        },
      }),
    );
    return made;
  };
  const unavailable = (error: unknown): { ok: false; error: UpdateUserError } => {
    if (error instanceof ClientUnavailableError) return { ok: false, error: error.error };
    throw error;
  };
  return {
    fields: FIELDS,
    apiVersion,
    validate: (raw) => validateUpdateUserInput(raw, { apiVersion }),
    prepare: async (input, options) => {
      try {
        return await prepareUpdate(await client(), input, options);
      } catch (error) {
        return unavailable(error);
      }
    },
    apply: async (plan, options) => {
      try {
        return await applyUpdate(await client(), plan, options);
      } catch (error) {
        return unavailable(error);
      }
    },
    onRequestEvent: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
