import type { IntercomClient } from "@intercom-kit/core";
import { applyUpdate } from "./apply.js";
import { abortedError, invalidInputError, parseCanonicalContactId } from "./errors.js";
import { prepareValid } from "./prepare.js";
import type { RawUpdateUserInput, UpdateUserInput, UpdateUserOptions, UpdateUserResult } from "./types.js";
import { validateUpdateUserInput } from "./validate.js";

/**
 * Updates one Intercom user (API 2.x), strictly: an unknown user is `not_found`, never a new contact. Validates
 * (invalid input sends nothing), finds the user and checks everything a person could fix before the first write
 * ({@link prepareUpdate}), writes only what differs ({@link applyUpdate}), and returns the full user record or a
 * typed error. Never throws.
 */
export async function updateUser(
  client: IntercomClient,
  input: UpdateUserInput | RawUpdateUserInput,
  options: UpdateUserOptions = {},
): Promise<UpdateUserResult> {
  const validation = validateUpdateUserInput(input, { apiVersion: client.version });
  if (!validation.ok) return { ok: false, error: invalidInputError(validation.errors) };
  if (options.signal?.aborted) return { ok: false, error: abortedError() };
  const result = await updateValid(client, validation.input, options);
  // An Intercom ID not read first (nothing to check) may name a merged contact: on API 2.16 the write answers 410
  // with the survivor in Link, and nothing was written. Update the survivor instead, once, and say so.
  const first = validation.input.intercomId;
  if (!result.ok && first !== undefined && !result.error.applied?.length && !result.error.unknown?.length) {
    const cause = result.error.cause;
    const canonical = cause?.kind === "http" && cause.status === 410 ? parseCanonicalContactId(cause.link) : undefined;
    if (canonical && canonical !== first) {
      const again = await updateValid(client, { ...validation.input, intercomId: canonical }, options);
      if (!again.ok) return again;
      again.user.merged_from = first;
      const note = `Intercom ID ${first} was merged into ${canonical}; the update went to ${canonical}.`;
      return { ...again, notes: [note, ...again.notes] };
    }
  }
  return result;
}

async function updateValid(
  client: IntercomClient,
  input: UpdateUserInput,
  options: UpdateUserOptions,
): Promise<UpdateUserResult> {
  const prepared = await prepareValid(client, input, options);
  if (!prepared.ok) return prepared;
  return applyUpdate(client, prepared.plan, options);
}
