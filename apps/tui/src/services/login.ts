import type { IntercomClient, UpdateUserError } from "@intercom-kit/domain";

/**
 * One cheap authenticated call: a contact search for an external id nobody has, one result per page.
 * It reads nothing of value, works with the read-only "Read users" scope, and tells 401 (bad token) apart from
 * 403 (token without the users scope) and from network trouble. A GET of a made-up contact id was the
 * alternative, but its 404 looks the same as a mistyped base URL that answers 404 to everything.
 */
export async function verifyToken(
  client: IntercomClient,
  signal?: AbortSignal,
): Promise<{ ok: true } | { ok: false; error: UpdateUserError }> {
  const result = await client.searchContacts(
    {
      query: { field: "external_id", operator: "=", value: "intercom-kit-login-check" },
      pagination: { per_page: 1 },
    },
    signal ? { signal } : {},
  );
  if (result.ok) return { ok: true };
  const failure = result.error;
  const requestId = failure.kind === "http" || failure.kind === "malformed" ? failure.requestId : null;
  if (failure.kind === "http" && failure.status === 401) {
    return {
      ok: false,
      error: {
        kind: "unauthorized",
        message: "Intercom rejected the access token (401)",
        hint: "Copy the token again from Intercom's Developer Hub (Authentication page) and check the region",
        requestId,
        status: 401,
      },
    };
  }
  if (failure.kind === "http" && failure.status === 403) {
    return {
      ok: false,
      error: {
        kind: "forbidden",
        message: "The token works but may not read users (403)",
        hint: "Give the app the Read and write users permission in the Developer Hub",
        requestId,
        status: 403,
      },
    };
  }
  return {
    ok: false,
    error: {
      kind: failure.kind === "network" ? "network" : failure.kind === "timeout" ? "timeout" : "intercom_error",
      message: `Could not check the token: ${failure.message}`,
      hint: "Check your network and the region or --base-url, then try again",
      requestId,
      ...(failure.kind === "http" ? { status: failure.status } : {}),
    },
  };
}

/** Reads a token piped on stdin (`printf %s "$TOKEN" | intercom-kit login`): the first non-empty line. */
export async function readTokenFromStream(stream: NodeJS.ReadableStream, maxBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) break;
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== "") ?? ""
  );
}
