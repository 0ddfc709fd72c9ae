// The TypeScript side of the library, as a consumer sees it once the packages are installed from npm.
// scripts/check-packages.mjs installs the packed tarballs into an empty project, type-checks this file with
// `moduleResolution` node16 and bundler (strict, skipLibCheck off, so our .d.ts files are checked too), then
// compiles and runs it. It also generates a check over every entry of every package's `exports` map, so a new
// subpath such as `@intercom-kit/domain/bulk` is covered without editing this file.
import { createIntercomClient as createCoreClient, type IntercomResult } from "@intercom-kit/core";
import { createIntercomClient, type UpdateUserResult, updateUser } from "@intercom-kit/domain";
import { type Sandbox, SEED, startSandbox } from "@intercom-kit/sandbox";

const sandbox: Sandbox = await startSandbox();
try {
  const client = createIntercomClient({ token: sandbox.token, baseUrl: sandbox.url });
  const result: UpdateUserResult = await updateUser(client, {
    userId: SEED.user.externalId,
    name: "Typed Consumer",
    unsubscribedFromEmails: false,
  });
  if (!result.ok) throw new Error(`updateUser failed: ${result.error.kind}: ${result.error.message}`);
  const name: string | null = result.user.name;
  const unsubscribed: boolean | null = result.user.unsubscribed_from_emails;

  // The core client on its own: a typed read of the same contact, failures as values.
  const core = createCoreClient({ token: sandbox.token, baseUrl: sandbox.url });
  const found = await core.findContactByExternalId(SEED.user.externalId);
  const readBack: string | null | undefined = found.ok ? found.data.name : undefined;
  if (name !== "Typed Consumer" || readBack !== "Typed Consumer" || unsubscribed !== false) {
    throw new Error(`the update did not land: ${JSON.stringify({ name, readBack, unsubscribed })}`);
  }
  console.log(`typed consumer: updated ${name} (user_id ${result.user.user_id})`);
} finally {
  await sandbox.stop();
}

// Never called: these lines prove the types are real. If a package's types resolved to `any` (or not at all),
// the @ts-expect-error lines would be unused, which is itself an error.
export function typesAreReal(result: UpdateUserResult, lookup: IntercomResult<unknown>): void {
  // @ts-expect-error the first argument must be a client, not a URL
  void updateUser("https://api.intercom.io", { userId: "25" });
  if (result.ok) {
    // @ts-expect-error the user record has no such field
    void result.user.no_such_field;
  }
  // @ts-expect-error a failed result has no data
  if (!lookup.ok) void lookup.data;
}
