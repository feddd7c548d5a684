import type { Item } from './item-table';
import type { Ipv4Prefix } from './values';

/** Configured properties are kept in their printed form, in the menu's print order. */
export interface ConfiguredItem extends Item {
  readonly values: Map<string, string>;
}

export interface Secret extends ConfiguredItem {
  lastLoggedOut?: number;
  lastCallerId?: string;
  lastDisconnectReason?: string;
}

export interface Profile extends ConfiguredItem {
  readonly builtIn: boolean;
}

export type Pool = ConfiguredItem;

export interface PppSession extends Item {
  readonly name: string;
  readonly service: string;
  readonly callerId: string;
  readonly address: number;
  /** Virtual uptime (ms) at connection. */
  readonly connectedAt: number;
  readonly sessionId: string;
  readonly limitBytesIn: bigint;
  readonly limitBytesOut: bigint;
  readonly interfaceId: number;
  readonly queueId: number | undefined;
}

export interface Counters {
  rxBytes: bigint;
  txBytes: bigint;
  rxPackets: bigint;
  txPackets: bigint;
}

export const zeroCounters = (): Counters => ({ rxBytes: 0n, txBytes: 0n, rxPackets: 0n, txPackets: 0n });

export interface NetInterface extends Item {
  name: string;
  readonly type: string;
  mtu: number;
  readonly dynamic: boolean;
  disabled: boolean;
  comment: string | undefined;
  counters: Counters;
  linkDowns: number;
  /** Virtual epoch ms of the last link-up. */
  lastLinkUp: number;
}

/** Simple-queue counters and limits are `upload/download` of the target. */
export interface SimpleQueue extends ConfiguredItem {
  readonly dynamic: boolean;
  targets: ReadonlyArray<QueueTarget>;
  uploadBytes: bigint;
  downloadBytes: bigint;
  uploadPackets: bigint;
  downloadPackets: bigint;
  /** Bits per second over the last advance. */
  uploadRate: bigint;
  downloadRate: bigint;
}

export type QueueTarget = { readonly prefix: Ipv4Prefix } | { readonly interfaceName: string };

export interface Package extends Item {
  readonly name: string;
}
