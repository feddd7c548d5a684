import type { TrapCategory } from './trap';

/** A failure the router shows on demand, until cleared. */
export type RouterFault =
  /** Listening sockets closed and open connections dropped: connections are refused. */
  | { readonly kind: 'offline' }
  /** Commands are read but never answered (login included). */
  | { readonly kind: 'stall' }
  /** The next reply to a logged-in command is cut after part of its bytes and the connection destroyed. */
  | { readonly kind: 'drop-mid-reply' }
  /**
   * The next reply to a logged-in command stops after part of its bytes and the connection goes silent
   * but stays open: only the client's own timeout ends the wait.
   */
  | { readonly kind: 'stall-mid-reply' }
  /** Logged-in commands get `!fatal <reason>` and the connection is closed. */
  | { readonly kind: 'fatal'; readonly reason?: string }
  /** Every reply (login included) leaves this much later. */
  | { readonly kind: 'latency'; readonly milliseconds: number }
  /** Commands whose path equals `command` (e.g. `/ppp/secret/add`) get this trap instead of running. */
  | {
      readonly kind: 'trap';
      readonly command: string;
      readonly message: string;
      readonly category?: TrapCategory;
    };
