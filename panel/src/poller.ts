export interface PollerOptions {
  intervalMs: number;
  /** Unix milliseconds after which the client token no longer works. */
  expiresAt: number;
  /** One refresh; answering 'stop' ends the polling (e.g. the token was refused). */
  refresh: () => Promise<'continue' | 'stop'>;
  /** Called once when the polling ends because the token expired or was refused. */
  stopped: () => void;
}

/**
 * Refreshes every `intervalMs` while the page is visible: nothing is asked while the tab is hidden,
 * and a tab that becomes visible again is refreshed at once. Polling ends for good when the token
 * expires, so an hour-old page stops asking instead of collecting refusals.
 */
export function startPolling(options: PollerOptions): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let ended = false;

  const end = () => {
    ended = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    options.stopped();
  };

  const schedule = () => {
    clearTimeout(timer);
    if (!ended && !document.hidden) timer = setTimeout(() => void tick(), options.intervalMs);
  };

  const tick = async () => {
    if (ended || running) return;
    if (Date.now() >= options.expiresAt) {
      end();
      return;
    }
    running = true;
    const outcome = await options.refresh();
    running = false;
    if (outcome === 'stop') end();
    else schedule();
  };

  function onVisibility() {
    if (document.hidden) clearTimeout(timer);
    else void tick();
  }

  document.addEventListener('visibilitychange', onVisibility);
  schedule();
}
