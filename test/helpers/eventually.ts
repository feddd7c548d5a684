export interface EventuallyOptions {
  /** How long the check may keep failing; default 15 s. */
  timeoutMs?: number;
  /** Pause between attempts; default 100 ms. */
  intervalMs?: number;
}

/**
 * Runs `check` until it passes — it returns instead of throwing, as an `expect` does once the system
 * got there — and returns what it returned. When `timeoutMs` runs out, the last failure is thrown, so
 * the test reports what was still wrong rather than a bare timeout.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 15_000, intervalMs = 100 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
