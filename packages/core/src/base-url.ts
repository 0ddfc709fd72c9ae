export type BaseUrlCheck = { ok: true; url: string } | { ok: false; message: string };

function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  // The URL parser has already normalised short forms such as "127.1" to dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Whether `url` may carry an access token: `https:` anywhere, `http:` only to a loopback host (127.0.0.0/8, ::1,
 * localhost) so a local sandbox works while a typo never sends the token in clear text over a network.
 * Returns the URL without a trailing slash.
 */
export function checkBaseUrl(url: string): BaseUrlCheck {
  if (typeof url !== "string" || url.trim() === "") {
    return { ok: false, message: "baseUrl is empty; give an https:// URL such as https://api.intercom.io" };
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { ok: false, message: `baseUrl is not a valid URL: "${url}"; give one such as https://api.intercom.io` };
  }
  if (parsed.username || parsed.password) {
    return { ok: false, message: "baseUrl must not contain a user name or password; the token is sent as a header" };
  }
  if (parsed.search || parsed.hash) {
    return { ok: false, message: `baseUrl must not have a query or fragment: "${parsed.origin}${parsed.pathname}..."` };
  }
  if (parsed.protocol === "http:") {
    if (!isLoopbackHost(parsed.hostname)) {
      return {
        ok: false,
        message: `baseUrl ${parsed.origin} uses http:, which would send the access token unencrypted; use https:// (http:// is allowed only for loopback hosts such as 127.0.0.1 or localhost)`,
      };
    }
  } else if (parsed.protocol !== "https:") {
    return { ok: false, message: `baseUrl must be an https:// URL; got ${parsed.protocol} in "${url}"` };
  }
  const path = parsed.pathname.replace(/\/+$/, "");
  return { ok: true, url: `${parsed.origin}${path}` };
}
