import { RouterConnectionPool, type RouterCaller } from '../../routeros';
import type { SimulatedRouter } from '../../simulator';

/**
 * The way cron-based billing modules meter: read each online session's interface counters, add
 * them up, then reset them. Bytes that pass between the read and the reset, and the bytes of every
 * session that ends between two reads, are never counted.
 */
export class ReadThenResetMeter {
  readonly counted = new Map<string, bigint>();

  /** Reads and adds up the counters; returns the reset step, so a test can let traffic pass in between. */
  async read(router: SimulatedRouter): Promise<(() => Promise<void>) | undefined> {
    const pool = new RouterConnectionPool({
      host: router.host,
      port: router.apiPort,
      tls: false,
      user: router.apiUser,
      password: router.apiPassword,
      timeoutMs: 5_000,
    });
    let rows;
    try {
      rows = await pool.call(['/interface/print', '?dynamic=true', '=.proplist=.id,name,rx-byte,tx-byte']);
    } catch {
      await pool.close();
      return undefined;
    }
    for (const row of rows) {
      const name = /^<(?:l2tp|pptp|sstp|ovpn|pppoe)-(.+)>$/.exec(row.name)?.[1];
      if (!name) continue;
      const bytes = BigInt(row['rx-byte']) + BigInt(row['tx-byte']);
      this.counted.set(name, (this.counted.get(name) ?? 0n) + bytes);
    }
    return async () => {
      await reset(
        pool,
        rows.map((row) => row['.id']),
      );
      await pool.close();
    };
  }
}

async function reset(caller: RouterCaller, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    await caller.call(['/interface/reset-counters', `=numbers=${ids.join(',')}`]);
  } catch {
    // Sessions that ended since the read took their interfaces with them; the rest are reset one by one.
    for (const id of ids) await caller.call(['/interface/reset-counters', `=numbers=${id}`]).catch(() => {});
  }
}
