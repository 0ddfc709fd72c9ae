const REPLACEMENTS = ["[redacted]", "[hidden]", "*"];

/**
 * Replaces every occurrence of `token` in `text`. Tokens shorter than 4 characters are not searched for: replacing
 * every "a" would garble messages while protecting nothing (such a token is rejected by Intercom anyway).
 * The result never contains the token, even when the token is a part of the replacement or when joining the pieces
 * forms it again; in such contrived cases the whole text gives way to the replacement.
 */
export function redact(text: string, token: string): string {
  if (token.length < 4 || !text.includes(token)) return text;
  const replacement = REPLACEMENTS.find((r) => !r.includes(token)) ?? "";
  let out = text;
  for (let i = 0; i < 3 && out.includes(token); i++) out = out.split(token).join(replacement);
  return out.includes(token) ? replacement : out;
}

/** One line, at most `max` characters: for messages and body snippets that came from elsewhere. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
