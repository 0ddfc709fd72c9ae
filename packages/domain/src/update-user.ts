import type { IntercomClient } from "@intercom-kit/core";
import { applyUpdate } from "./apply.js";
import { prepareUpdate } from "./prepare.js";
import type { RawUpdateUserInput, UpdateUserInput, UpdateUserOptions, UpdateUserResult } from "./types.js";

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
  const prepared = await prepareUpdate(client, input, options);
  if (!prepared.ok) return prepared;
  return applyUpdate(client, prepared.plan, options);
}
