// Update a user with @intercom-kit/domain, as any Node program would: plain ESM, no bundler, no TypeScript.
// It runs against the embedded sandbox so it needs no Intercom account; for the real thing, replace the two
// sandbox lines with createIntercomClient({ token: process.env.INTERCOM_ACCESS_TOKEN }).
import { createIntercomClient, formatError, updateUser } from "@intercom-kit/domain";
import { SEED, startSandbox } from "@intercom-kit/sandbox";

const sandbox = await startSandbox();
try {
  const client = createIntercomClient({ token: sandbox.token, baseUrl: sandbox.url });

  const result = await updateUser(client, {
    userId: SEED.user.externalId, // the user's own ID ("external_id" in API 2.x)
    name: "Joe Example-Smith",
    unsubscribedFromEmails: false, // false is sent; leave it out to keep the current setting
    companyId: "366",
    companyName: "Serenity",
    companyMonthlySpend: 155.98, // Intercom keeps 155; result.notes says so
  });

  if (!result.ok) {
    console.error(formatError(result.error));
    process.exitCode = 1;
  } else {
    const { user } = result;
    console.log(JSON.stringify(user, null, 2));
    for (const note of result.notes ?? []) console.log(`note: ${note}`);
    // This script is also a CI check: fail loudly if the change did not land.
    if (user.name !== "Joe Example-Smith" || !user.companies.companies.some((c) => c.company_id === "366")) {
      console.error("The update did not show up in the returned user");
      process.exitCode = 1;
    }
  }
} finally {
  await sandbox.stop();
}
