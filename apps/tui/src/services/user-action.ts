import {
  DEFAULT_API_VERSION,
  describeChanges,
  FIELDS,
  type FieldChange,
  type FieldSpec,
  type IntercomClient,
  type LookupResult,
  lookupUser,
  planUpdate,
  type RawUpdateUserInput,
  type UpdatePlan,
  type UpdateUserError,
  type UpdateUserInput,
  type UpdateUserOptions,
  type UpdateUserOutput,
  type UpdateUserResult,
  updateUser,
  type ValidationResult,
  validateUpdateUserInput,
} from "@intercom-kit/domain";

/**
 * The "update a user" action as the UI and commands see it: the domain's functions bound to one client.
 * Components take this as a prop, so their tests inject fakes and need no network.
 */
export interface UserAction {
  fields: readonly FieldSpec[];
  validate(raw: RawUpdateUserInput): ValidationResult;
  plan(input: UpdateUserInput): UpdatePlan;
  lookup(input: UpdateUserInput, options?: { signal?: AbortSignal }): Promise<LookupResult>;
  describe(current: UpdateUserOutput | null, input: UpdateUserInput): FieldChange[];
  update(input: UpdateUserInput, options?: UpdateUserOptions): Promise<UpdateUserResult>;
}

/** A client that could not be made (e.g. the embedded sandbox did not start), as the domain's error value. */
export class ClientUnavailableError extends Error {
  constructor(readonly error: UpdateUserError) {
    super(error.message);
  }
}

type ClientSource = IntercomClient | (() => IntercomClient | Promise<IntercomClient>);

/**
 * Binds the domain's functions to a client made on first use. Creating a client touches `globalThis.fetch`, which
 * makes Node load its HTTP stack (~40 ms), and the embedded sandbox may still be starting: the first frame of the UI
 * waits for neither.
 */
export function createUserAction(client: ClientSource, apiVersion?: string): UserAction {
  let made: Promise<IntercomClient> | null = typeof client === "function" ? null : Promise.resolve(client);
  const get = () => {
    made ??= Promise.resolve().then(client as () => IntercomClient | Promise<IntercomClient>);
    return made;
  };
  const version = () => apiVersion ?? (typeof client === "function" ? DEFAULT_API_VERSION : client.version);
  const unavailable = (error: unknown) => {
    if (error instanceof ClientUnavailableError) return { ok: false as const, error: error.error };
    throw error;
  };
  return {
    fields: FIELDS,
    validate: (raw) => validateUpdateUserInput(raw),
    plan: (input) => planUpdate(input, { apiVersion: version() }),
    lookup: async (input, options) => {
      try {
        return await lookupUser(await get(), input, options);
      } catch (error) {
        return unavailable(error);
      }
    },
    describe: (current, input) => describeChanges(current, input),
    update: async (input, options) => {
      try {
        return await updateUser(await get(), input, options);
      } catch (error) {
        return unavailable(error);
      }
    },
  };
}
