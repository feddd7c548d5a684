import type { NetInterface, PppSession, SimpleQueue } from './model';
import type { PppSessions } from './ppp';
import type { QueueAddressIndex, RouterState } from './router-state';
import { packetsFor, seededRate, type TrafficRate } from './traffic';
import { parseRatePair } from './values';

export interface GroundTruth {
  uploadBytes: bigint;
  downloadBytes: bigint;
}

const UPLOAD_PACKET_BYTES = 600n;
const DOWNLOAD_PACKET_BYTES = 1400n;

/**
 * Moves bytes for online sessions on the virtual clock. Byte counts are exact: fractional bytes are
 * carried per session between advances, and the ground truth records every byte a client moved.
 */
export class TrafficEngine {
  private readonly rateOverrides = new Map<string, TrafficRate>();
  private readonly truth = new Map<string, GroundTruth>();
  /** Per session: byte·milliseconds not yet counted as a whole byte. */
  private readonly carries = new Map<number, { upload: bigint; download: bigint }>();
  private queueIndex: QueueAddressIndex | undefined;

  constructor(
    private readonly state: RouterState,
    private readonly ppp: PppSessions,
  ) {}

  setRate(name: string, rate: TrafficRate): void {
    this.rateOverrides.set(name, rate);
  }

  rateOf(name: string): TrafficRate {
    return this.rateOverrides.get(name) ?? seededRate(this.state.seed, name);
  }

  groundTruth(name: string): GroundTruth {
    const truth = this.truth.get(name);
    return { uploadBytes: truth?.uploadBytes ?? 0n, downloadBytes: truth?.downloadBytes ?? 0n };
  }

  accountsWithTraffic(): string[] {
    return [...this.truth.keys()];
  }

  advance(milliseconds: number): void {
    if (!Number.isInteger(milliseconds) || milliseconds < 0) {
      throw new RangeError('advance takes a non-negative whole number of milliseconds');
    }
    const state = this.state;
    state.uptime += milliseconds;
    for (const queue of state.queues.all()) {
      queue.uploadRate = 0n;
      queue.downloadRate = 0n;
    }
    if (milliseconds === 0) return;
    if (this.queueIndex?.version !== state.queueTargetsVersion) this.queueIndex = state.buildQueueIndex();
    const index = this.queueIndex;
    const uplink = state.interfaces.findByName('ether1');
    const ended: PppSession[] = [];
    for (const session of state.sessions.all()) {
      if (this.moveSessionBytes(session, milliseconds, index, uplink)) ended.push(session);
    }
    for (const session of ended) {
      this.carries.delete(session.id);
      this.ppp.disconnect(session, 'limit-reached');
    }
    for (const id of this.carries.keys()) if (!state.sessions.get(id)) this.carries.delete(id);
  }

  /** Returns true when the session reached a byte limit and must be disconnected. */
  private moveSessionBytes(
    session: PppSession,
    milliseconds: number,
    index: QueueAddressIndex,
    uplink: NetInterface | undefined,
  ): boolean {
    const state = this.state;
    const netInterface = state.interfaces.get(session.interfaceId);
    if (!netInterface) return false;
    const dynamicQueue = session.queueId === undefined ? undefined : state.queues.get(session.queueId);
    const staticQueues = state.staticQueuesFor(session.address, index);
    const shapingQueues = dynamicQueue ? [dynamicQueue, ...staticQueues] : staticQueues;
    const rate = this.rateOf(session.name);
    let uploadPerSecond = BigInt(Math.max(0, Math.floor(rate.uploadBytesPerSecond)));
    let downloadPerSecond = BigInt(Math.max(0, Math.floor(rate.downloadBytesPerSecond)));
    for (const queue of shapingQueues) {
      const limit = maxLimitOf(queue);
      if (limit.upload > 0n && limit.upload / 8n < uploadPerSecond) uploadPerSecond = limit.upload / 8n;
      if (limit.download > 0n && limit.download / 8n < downloadPerSecond)
        downloadPerSecond = limit.download / 8n;
    }

    const counters = netInterface.counters;
    const carry = this.carries.get(session.id) ?? { upload: 0n, download: 0n };
    let elapsed = BigInt(milliseconds);
    let limitReached = false;
    for (const [limit, counted, perSecond, carried] of [
      [session.limitBytesIn, counters.rxBytes, uploadPerSecond, carry.upload],
      [session.limitBytesOut, counters.txBytes, downloadPerSecond, carry.download],
    ]) {
      if (limit === 0n) continue;
      const remaining = limit - counted;
      const needed =
        remaining <= 0n
          ? 0n
          : perSecond === 0n
            ? elapsed + 1n
            : ceilDiv(remaining * 1000n - carried, perSecond);
      if (needed <= elapsed) {
        elapsed = needed;
        limitReached = true;
      }
    }
    const uploadScaled = uploadPerSecond * elapsed + carry.upload;
    const downloadScaled = downloadPerSecond * elapsed + carry.download;
    let upload = uploadScaled / 1000n;
    let download = downloadScaled / 1000n;
    carry.upload = uploadScaled % 1000n;
    carry.download = downloadScaled % 1000n;
    this.carries.set(session.id, carry);
    if (session.limitBytesIn > 0n) upload = clamp(upload, session.limitBytesIn - counters.rxBytes);
    if (session.limitBytesOut > 0n) download = clamp(download, session.limitBytesOut - counters.txBytes);

    const uploadPackets = packetsFor(upload, UPLOAD_PACKET_BYTES);
    const downloadPackets = packetsFor(download, DOWNLOAD_PACKET_BYTES);
    counters.rxBytes += upload;
    counters.txBytes += download;
    counters.rxPackets += uploadPackets;
    counters.txPackets += downloadPackets;
    if (uplink) {
      uplink.counters.txBytes += upload;
      uplink.counters.rxBytes += download;
      uplink.counters.txPackets += uploadPackets;
      uplink.counters.rxPackets += downloadPackets;
    }
    const uploadRate = (upload * 8000n) / BigInt(milliseconds);
    const downloadRate = (download * 8000n) / BigInt(milliseconds);
    for (const queue of shapingQueues) {
      queue.uploadBytes += upload;
      queue.downloadBytes += download;
      queue.uploadPackets += uploadPackets;
      queue.downloadPackets += downloadPackets;
      queue.uploadRate += uploadRate;
      queue.downloadRate += downloadRate;
    }
    const truth = this.truth.get(session.name) ?? { uploadBytes: 0n, downloadBytes: 0n };
    truth.uploadBytes += upload;
    truth.downloadBytes += download;
    this.truth.set(session.name, truth);
    return limitReached;
  }
}

function maxLimitOf(queue: SimpleQueue): { upload: bigint; download: bigint } {
  return parseRatePair('max-limit', queue.values.get('max-limit') ?? '0/0');
}

const ceilDiv = (numerator: bigint, denominator: bigint): bigint =>
  numerator <= 0n ? 0n : (numerator + denominator - 1n) / denominator;

const clamp = (value: bigint, maximum: bigint): bigint =>
  value > maximum ? (maximum > 0n ? maximum : 0n) : value;
