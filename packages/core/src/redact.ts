const REPLACEMENT = "[redacted]";

/**
 * Replaces every occurrence of `token` in `text`. Tokens shorter than 4 characters are not searched for: replacing
 * every "a" would garble messages while protecting nothing (such a token is rejected by Intercom anyway).
 */
export function redact(text: string, token: string): string {
  if (token.length < 4 || !text.includes(token)) return text;
  return text.split(token).join(REPLACEMENT);
}

/** One line, at most `max` characters: for messages and body snippets that came from elsewhere. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
