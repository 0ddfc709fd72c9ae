import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkBaseUrl, computeRetryDelay, isSafePathSegment, redact } from "../src/index.js";
import { BACKOFF_BASE_MS, BACKOFF_JITTER_RATIO, RATE_LIMIT_WINDOW_MS } from "../src/retry-policy.js";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

describe("computeRetryDelay (properties)", () => {
  const input = fc.record({
    retry: fc.integer({ min: 0, max: 12 }),
    now: fc.integer({ min: NOW - 1e9, max: NOW + 1e9 }),
    retryAfter: fc.option(
      fc.oneof(
        fc.nat({ max: 100_000 }).map(String),
        fc.string(),
        fc.integer({ min: -600, max: 600 }).map((s) => new Date(NOW + s * 1000).toUTCString()),
      ),
      { nil: null },
    ),
    resetOffset: fc.option(fc.integer({ min: -120, max: 3600 }), { nil: null }),
    maxDelayMs: fc.integer({ min: 0, max: 120_000 }),
    r: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  });

  it("is a whole number of ms in [0, maxDelayMs]", () => {
    fc.assert(
      fc.property(input, ({ retry, now, retryAfter, resetOffset, maxDelayMs, r }) => {
        const resetAt = resetOffset === null ? null : Math.floor(now / 1000) + resetOffset;
        const { ms } = computeRetryDelay({ retry, now, retryAfter, resetAt, maxDelayMs, random: () => r });
        expect(Number.isInteger(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(maxDelayMs);
      }),
    );
  });

  it("without headers it is 1 s * 2^n within +-10%, capped", () => {
    fc.assert(
      fc.property(input, ({ retry, now, maxDelayMs, r }) => {
        const { ms, source } = computeRetryDelay({
          retry,
          now,
          retryAfter: null,
          resetAt: null,
          maxDelayMs,
          random: () => r,
        });
        const base = BACKOFF_BASE_MS * 2 ** retry;
        expect(source).toBe("backoff");
        expect(ms).toBeGreaterThanOrEqual(Math.min(maxDelayMs, Math.floor(base * (1 - BACKOFF_JITTER_RATIO))));
        expect(ms).toBeLessThanOrEqual(Math.min(maxDelayMs, Math.ceil(base * (1 + BACKOFF_JITTER_RATIO))));
      }),
    );
  });

  it("a plausible future reset is never left early and never overshot by more than a second", () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 11 }), ({ retry, r }, ahead) => {
        const resetAt = Math.floor(NOW / 1000) + ahead;
        const wait = resetAt * 1000 - NOW;
        const { ms, source } = computeRetryDelay({
          retry,
          now: NOW,
          retryAfter: null,
          resetAt,
          maxDelayMs: 10_000_000,
          random: () => r,
        });
        expect(source).toBe("rate-limit-reset");
        expect(ms).toBeGreaterThanOrEqual(wait);
        expect(ms).toBeLessThanOrEqual(wait + 1000);
      }),
    );
  });

  it("a reset more than one window (plus skew) ahead waits one window, whatever it says", () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 12, max: 10_000_000 }), ({ retry, r }, ahead) => {
        const { ms, source } = computeRetryDelay({
          retry,
          now: NOW,
          retryAfter: null,
          resetAt: Math.floor(NOW / 1000) + ahead,
          maxDelayMs: 10_000_000,
          random: () => r,
        });
        expect(source).toBe("rate-limit-reset");
        expect(ms).toBeGreaterThanOrEqual(RATE_LIMIT_WINDOW_MS);
        expect(ms).toBeLessThanOrEqual(RATE_LIMIT_WINDOW_MS + 1000);
      }),
    );
  });
});

describe("isSafePathSegment (properties)", () => {
  it("accepts exactly the well-formed, non-blank strings that are not a dot segment", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), (id) => {
        expect(isSafePathSegment(id)).toBe(id.trim() !== "" && id !== "." && id !== "..");
      }),
    );
  });

  it("refuses every string with a lone surrogate", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 6 }),
        fc.integer({ min: 0xd800, max: 0xdfff }),
        fc.string({ maxLength: 6 }),
        (before, unit, after) => {
          // A high surrogate followed by a low one would be a pair: keep the low side from completing it.
          const lone = String.fromCharCode(unit);
          const text = unit <= 0xdbff ? `${before}${lone}x${after}` : `${before}x${lone}${after}`;
          expect(isSafePathSegment(text)).toBe(false);
        },
      ),
    );
  });
});

describe("redact (properties)", () => {
  it("the token never survives, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 12 }), fc.array(fc.string({ maxLength: 8 })), (token, parts) => {
        const text = parts.join(token) + token;
        expect(redact(text, token)).not.toContain(token);
      }),
    );
  });

  it("contrived tokens that overlap the replacement are still removed", () => {
    for (const token of ["cted", "[redacted]", "x[redacted]y", "****"]) {
      expect(redact(`a ${token} b x${token}y`, token)).not.toContain(token);
    }
  });

  it("text without the token is returned unchanged", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string(), (token, text) => {
        fc.pre(!text.includes(token));
        expect(redact(text, token)).toBe(text);
      }),
    );
  });
});

describe("checkBaseUrl (properties)", () => {
  it("refuses http: for every host that is not loopback", () => {
    fc.assert(
      fc.property(fc.domain(), (host) => {
        fc.pre(host !== "localhost");
        const checked = checkBaseUrl(`http://${host}/`);
        expect(checked.ok).toBe(false);
      }),
    );
  });

  it("accepts https: URLs without credentials, query or fragment, and drops a trailing slash", () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ["https"] }), (url) => {
        const checked = checkBaseUrl(url);
        expect(checked.ok).toBe(true);
        if (checked.ok) {
          expect(checked.url.startsWith("https://")).toBe(true);
          expect(checked.url.endsWith("/")).toBe(false);
        }
      }),
    );
  });
});
