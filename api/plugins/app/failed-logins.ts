/**
 * Failed logins per client address (OWASP API2: broken authentication). The general rate limit counts per token, so
 * a caller trying ever new tokens would never reach it; this counts refused tokens per IP in a fixed one-minute
 * window, and once an address is over `maxPerMinute` its requests with a token are answered 429 before the token is
 * even verified (no key lookup, no provider call) until the window ends.
 */
export function createFailedLoginThrottle(maxPerMinute: number, now: () => number = Date.now) {
  const WINDOW_MS = 60_000;
  const windows = new Map<string, { start: number; failures: number }>();

  const current = (ip: string) => {
    const w = windows.get(ip);
    return w && now() - w.start < WINDOW_MS ? w : undefined;
  };

  return {
    /** Seconds until the address may try again, or 0 when it may now. */
    retryAfterSeconds(ip: string): number {
      const w = current(ip);
      return w && w.failures >= maxPerMinute ? Math.ceil((w.start + WINDOW_MS - now()) / 1000) : 0;
    },
    recordFailure(ip: string): void {
      const w = current(ip);
      if (w) w.failures += 1;
      else {
        // Expired windows are dropped as they are replaced; a sweep keeps the map bounded under a spread-out attack.
        if (windows.size > 10_000)
          for (const [key, old] of windows) if (now() - old.start >= WINDOW_MS) windows.delete(key);
        windows.set(ip, { start: now(), failures: 1 });
      }
    },
  };
}
