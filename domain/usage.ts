/**
 * Metering arithmetic. Readings come from the account's static simple queue, whose `bytes=U/D` is
 * upload/download of the target; the target is the client's address, so U is what the client
 * uploaded and D what it downloaded. Counters are never reset by vpnflow: usage is the increase since
 * the last stored reading.
 */
export interface CounterReading {
  uploadBytes: bigint;
  downloadBytes: bigint;
  /** `/system/resource` uptime when the counters were read; it only goes down when the router reboots. */
  routerUptimeSeconds: number;
}

export type BaselineReason = 'first-reading' | 'router-rebooted' | 'counter-reset';

export interface UsageDelta {
  uploadBytes: bigint;
  downloadBytes: bigint;
  /** Set when the reading starts a new baseline instead of continuing the last one. */
  newBaseline: BaselineReason | null;
}

/**
 * The traffic between two readings of one queue.
 *
 * When the counters cannot continue from the last reading — the router rebooted (uptime went down),
 * or either counter went down (the queue was re-created or its counters reset) — both counters are
 * taken to have restarted from zero, and everything they now show is new traffic since that restart,
 * so it counts. Only traffic between the last reading and the restart is lost; it was never observed.
 * The first reading of a queue counts in full for the same reason: vpnflow creates the queue, so its
 * counters started at zero for this service.
 */
export function usageDelta(last: CounterReading | null, next: CounterReading): UsageDelta {
  if (next.uploadBytes < 0n || next.downloadBytes < 0n) {
    throw new Error(
      `invalid reading: counters cannot be negative (${next.uploadBytes}/${next.downloadBytes})`,
    );
  }
  const restart = (newBaseline: BaselineReason): UsageDelta => ({
    uploadBytes: next.uploadBytes,
    downloadBytes: next.downloadBytes,
    newBaseline,
  });
  if (last === null) return restart('first-reading');
  if (next.routerUptimeSeconds < last.routerUptimeSeconds) return restart('router-rebooted');
  if (next.uploadBytes < last.uploadBytes || next.downloadBytes < last.downloadBytes) {
    return restart('counter-reset');
  }
  return {
    uploadBytes: next.uploadBytes - last.uploadBytes,
    downloadBytes: next.downloadBytes - last.downloadBytes,
    newBaseline: null,
  };
}

/** Both directions count against the traffic balance. */
export function totalBytes(delta: Pick<UsageDelta, 'uploadBytes' | 'downloadBytes'>): bigint {
  return delta.uploadBytes + delta.downloadBytes;
}

/** A simple queue's `bytes` (`U/D` of the target, i.e. the client's upload/download). */
export function parseQueueBytes(text: string): { uploadBytes: bigint; downloadBytes: bigint } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`invalid queue bytes "${text}": expected <upload>/<download>`);
  return { uploadBytes: BigInt(match[1]), downloadBytes: BigInt(match[2]) };
}

const UPTIME_UNITS: Readonly<Record<string, number>> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * RouterOS uptime (`2d20h12m20s`, `1w3d`, `45s`; older CLI-style `1w2d03:04:05`) in whole seconds.
 * Milliseconds (`500ms`) are dropped.
 */
export function parseRouterUptime(text: string): number {
  const match = /^((?:\d+[wdhms])*?)(?:(\d+)ms)?(?:(\d{1,2}):(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!match || text.trim() === '') throw new Error(`invalid router uptime "${text}"`);
  const [, units = '', , hours, minutes, seconds] = match;
  let total = 0;
  for (const [, amount, unit] of units.matchAll(/(\d+)([wdhms])/g)) {
    total += Number(amount) * (UPTIME_UNITS[unit] ?? 0);
  }
  if (hours !== undefined) total += Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds);
  return total;
}
