import type { Socket } from 'node:net';
import type { ConnectionOptions, PeerCertificate, TLSSocket } from 'node:tls';
import { Connector } from 'node-routeros';
import { SentenceReceiver } from './sentence-receiver';

/** node-routeros keeps these private; this file is the only place that reaches into them. */
interface ConnectorInternals {
  socket: Socket | TLSSocket;
  receiver: unknown;
}

export type ConnectorEnding =
  | { reason: 'fatal'; message: string }
  | { reason: 'protocol'; message: string }
  | { reason: 'socket-error'; error: Error & { code?: string } }
  | { reason: 'idle' }
  | { reason: 'closed' };

export interface SafeConnectorOptions {
  host: string;
  port: number;
  /** Seconds without traffic after which node-routeros drops the socket. */
  idleTimeoutSeconds: number;
  tls: ConnectionOptions | undefined;
}

/**
 * node-routeros's Connector (sockets, TLS, the Transmitter, tag reads), with its receiver replaced by
 * SentenceReceiver and with one promise about the end: `ended` settles exactly once, after the
 * socket has closed, whatever closed it. node-routeros itself only emits 'close' on a clean end and
 * removes every listener when it destroys the socket, which is how pending calls got stranded.
 */
export class SafeConnector extends Connector {
  readonly ended: Promise<ConnectorEnding>;
  private ending: ConnectorEnding | undefined;
  private resolveEnded: (ending: ConnectorEnding) => void = () => undefined;
  private liveSocket: Socket | TLSSocket | undefined;

  constructor(options: SafeConnectorOptions) {
    super({ host: options.host, port: options.port, timeout: options.idleTimeoutSeconds, tls: options.tls });
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.on('error', () => undefined);
  }

  override connect(): Connector {
    super.connect();
    const internals = this as unknown as ConnectorInternals;
    internals.receiver = new SentenceReceiver({
      onFatal: (message) => this.end({ reason: 'fatal', message }),
      onProtocolError: (message) => this.end({ reason: 'protocol', message }),
    });
    const socket = internals.socket;
    this.liveSocket = socket;
    socket.setNoDelay(true);
    socket.on('error', (error) => this.note({ reason: 'socket-error', error }));
    socket.once('timeout', () => this.note({ reason: 'idle' }));
    socket.once('close', () => this.resolveEnded(this.ending ?? { reason: 'closed' }));
    return this;
  }

  /**
   * node-routeros's Transmitter writes every word separately; corked, a sentence leaves in one
   * segment instead of waiting out Nagle and delayed ACKs word by word.
   */
  override write(data: string[]): Connector {
    const socket = this.liveSocket;
    socket?.cork();
    try {
      return super.write(data);
    } finally {
      socket?.uncork();
    }
  }

  /** The router's certificate when the connection is TLS and the handshake finished. */
  peerCertificate(): PeerCertificate | undefined {
    const socket = this.liveSocket;
    if (!socket || !('getPeerCertificate' in socket)) return undefined;
    const certificate = socket.getPeerCertificate();
    return certificate && Object.keys(certificate).length > 0 ? certificate : undefined;
  }

  override destroy(): void {
    super.destroy();
    this.on('error', () => undefined);
  }

  /** Ends the connection for a reason of ours (timeout, wrong certificate, shutdown). */
  end(ending: ConnectorEnding): void {
    this.note(ending);
    this.destroy();
  }

  private note(ending: ConnectorEnding): void {
    this.ending ??= ending;
  }
}
