import {
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

/**
 * Binds the domain's functions to a client made on first use: creating a client touches `globalThis.fetch`, which
 * makes Node load its HTTP stack (~40 ms), and the first frame of the UI should not wait for that.
 */
export function createUserAction(client: IntercomClient | (() => IntercomClient), apiVersion?: string): UserAction {
  let made: IntercomClient | null = typeof client === "function" ? null : client;
  const get = () => {
    made ??= (client as () => IntercomClient)();
    return made;
  };
  const version = () => apiVersion ?? get().version;
  return {
    fields: FIELDS,
    validate: (raw) => validateUpdateUserInput(raw),
    plan: (input) => planUpdate(input, { apiVersion: version() }),
    lookup: (input, options) => lookupUser(get(), input, options),
    describe: (current, input) => describeChanges(current, input),
    update: (input, options) => updateUser(get(), input, options),
  };
}
