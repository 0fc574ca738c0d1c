/** Submissions a client address may send to one form per window. */
export const FORM_SUBMISSION_LIMIT = 10;
export const FORM_SUBMISSION_WINDOW_MS = 60_000;

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts submissions per form and client address in fixed windows: past the limit, the rest of the
 * window is refused. Per process (several API processes each allow the limit), like the sign-in limit.
 */
export function createSubmissionLimiter(
  options: { limit?: number; windowMs?: number; now?: () => number } = {},
) {
  const limit = options.limit ?? FORM_SUBMISSION_LIMIT;
  const windowMs = options.windowMs ?? FORM_SUBMISSION_WINDOW_MS;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { count: number; since: number }>();

  return {
    take(formId: string, address: string): LimitDecision {
      const at = now();
      const key = `${formId} ${address}`;
      let entry = windows.get(key);
      if (!entry || at - entry.since >= windowMs) {
        entry = { count: 0, since: at };
        windows.set(key, entry);
      }
      if (entry.count >= limit) {
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((entry.since + windowMs - at) / 1000)),
        };
      }
      entry.count++;
      // Forget old windows, so submissions from many addresses cannot grow the map without end.
      if (windows.size > 10_000) {
        for (const [old, value] of windows) if (at - value.since >= windowMs) windows.delete(old);
      }
      return { allowed: true };
    },
  };
}

export type SubmissionLimiter = ReturnType<typeof createSubmissionLimiter>;
