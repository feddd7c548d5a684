import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { ApiConnection, type ConnectionHost } from './connection';
import { CommandDispatcher } from './dispatcher';
import type { RouterFault } from './faults';
import { InterfaceMenu } from './menus/interface';
import { IpPoolMenu } from './menus/ip-pool';
import { PppActiveMenu } from './menus/ppp-active';
import { PppProfileMenu } from './menus/ppp-profile';
import { PppSecretMenu } from './menus/ppp-secret';
import { QueueSimpleMenu } from './menus/queue-simple';
import { SystemIdentityMenu, SystemPackageMenu, SystemResourceMenu } from './menus/system';
import { zeroCounters } from './model';
import type { PrintedRow } from './query';
import { PppSessions, type DisconnectReason } from './ppp';
import { fromUtf8, toUtf8 } from './request';
import { RouterState } from './router-state';
import { sharedCertificate, type TlsCertificate } from './tls-certificate';
import { TrafficEngine } from './traffic-engine';
import type { TrafficRate } from './traffic';
import { formatId, formatIpv4 } from './values';

export interface StartRouterOptions {
  identity?: string;
  version?: string;
  apiUser?: string;
  apiPassword?: string;
  /** Default 127.0.0.1: nothing but loopback unless asked. */
  host?: string;
  /** Default 0: a free port. */
  apiPort?: number;
  /** Also serve api-ssl on its own port. */
  tls?: boolean;
  tlsPort?: number;
  /** A certificate to serve instead of the process-wide generated one. */
  tlsCertificate?: TlsCertificate;
  /** Pre-6.43 challenge login instead of the plain one. */
  legacyLogin?: boolean;
  /** Traffic PRNG seed. */
  seed?: number;
  /** Virtual wall-clock time at boot, epoch ms; default now. */
  bootTime?: number;
}

export interface SecretInput {
  name: string;
  password: string;
  service?: string;
  profile?: string;
  remoteAddress?: string;
  localAddress?: string;
  comment?: string;
  disabled?: boolean;
  limitBytesIn?: bigint;
  limitBytesOut?: bigint;
}

export interface ActiveSessionView {
  readonly name: string;
  readonly address: string;
  readonly service: string;
  readonly callerId: string;
}

/** Strings in and out of this API are UTF-8; on the wire they are the UTF-8 bytes. */
export class SimulatedRouter {
  readonly host: string;
  private readonly state: RouterState;
  private readonly ppp: PppSessions;
  private readonly traffic: TrafficEngine;
  private readonly secretMenu: PppSecretMenu;
  private readonly profileMenu: PppProfileMenu;
  private readonly queueMenu: QueueSimpleMenu;
  private readonly connectionHost: ConnectionHost & { fault: RouterFault | undefined };
  private readonly connections = new Set<ApiConnection>();
  private readonly commandCounts = new Map<string, number>();
  private apiServer: Server | undefined;
  private tlsServer: Server | undefined;
  private currentApiPort = 0;
  private currentTlsPort: number | undefined;
  private stopped = false;
  /** Settles when the latest (re)listen finished; a failure to listen again is kept here, not thrown. */
  private listening: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: StartRouterOptions,
    private readonly certificate: TlsCertificate | undefined,
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.state = new RouterState({
      identity: fromUtf8(options.identity ?? 'MikroTik'),
      version: options.version ?? '7.18.2',
      seed: options.seed ?? 1,
      bootTime: options.bootTime ?? Date.now(),
    });
    this.ppp = new PppSessions(this.state);
    this.traffic = new TrafficEngine(this.state, this.ppp);
    this.secretMenu = new PppSecretMenu(this.state);
    this.profileMenu = new PppProfileMenu(this.state);
    this.queueMenu = new QueueSimpleMenu(this.state);
    const dispatcher = new CommandDispatcher(this.state, [
      this.secretMenu,
      this.profileMenu,
      new PppActiveMenu(this.state, this.ppp),
      new InterfaceMenu(this.state),
      this.queueMenu,
      new SystemResourceMenu(this.state),
      new SystemIdentityMenu(this.state),
      new SystemPackageMenu(this.state),
      new IpPoolMenu(this.state),
    ]);
    this.connectionHost = {
      dispatcher,
      apiUser: fromUtf8(options.apiUser ?? 'admin'),
      apiPassword: fromUtf8(options.apiPassword ?? 'admin'),
      legacyLogin: options.legacyLogin ?? false,
      fault: undefined,
      commandReceived: (command) =>
        this.commandCounts.set(command, (this.commandCounts.get(command) ?? 0) + 1),
    };
  }

  static async start(options: StartRouterOptions = {}): Promise<SimulatedRouter> {
    const certificate = options.tls ? (options.tlsCertificate ?? (await sharedCertificate())) : undefined;
    const router = new SimulatedRouter(options, certificate);
    try {
      await router.listen(options.apiPort ?? 0, options.tlsPort ?? 0);
    } catch (error) {
      await router.stop();
      throw error;
    }
    return router;
  }

  get identity(): string {
    return toUtf8(this.state.identity);
  }

  get version(): string {
    return this.state.version;
  }

  get apiPort(): number {
    return this.currentApiPort;
  }

  get tlsPort(): number | undefined {
    return this.currentTlsPort;
  }

  get tlsFingerprint(): string | undefined {
    return this.certificate?.fingerprint;
  }

  get apiUser(): string {
    return this.options.apiUser ?? 'admin';
  }

  get apiPassword(): string {
    return this.options.apiPassword ?? 'admin';
  }

  get fault(): RouterFault | undefined {
    return this.connectionHost.fault;
  }

  /**
   * API commands received from logged-in sessions since the router started, by command path
   * (`/queue/simple/print`): what a client costs the router. Login and keepalives are not counted.
   */
  commandsReceived(): Record<string, number> {
    return Object.fromEntries([...this.commandCounts].map(([command, count]) => [toUtf8(command), count]));
  }

  /** Virtual milliseconds since boot. */
  get uptime(): number {
    return this.state.uptime;
  }

  addSecret(secret: SecretInput): string {
    const properties = new Map<string, string>([
      ['name', secret.name],
      ['password', secret.password],
    ]);
    if (secret.service !== undefined) properties.set('service', secret.service);
    if (secret.profile !== undefined) properties.set('profile', secret.profile);
    if (secret.localAddress !== undefined) properties.set('local-address', secret.localAddress);
    if (secret.remoteAddress !== undefined) properties.set('remote-address', secret.remoteAddress);
    if (secret.limitBytesIn !== undefined) properties.set('limit-bytes-in', String(secret.limitBytesIn));
    if (secret.limitBytesOut !== undefined) properties.set('limit-bytes-out', String(secret.limitBytesOut));
    if (secret.comment !== undefined) properties.set('comment', secret.comment);
    if (secret.disabled !== undefined) properties.set('disabled', String(secret.disabled));
    return formatId(this.secretMenu.create(this.secretMenu.normalize(encode(properties))).id);
  }

  addStaticQueue(queue: { name: string; target: string; maxLimit?: string; comment?: string }): string {
    const properties = new Map([
      ['name', queue.name],
      ['target', queue.target],
    ]);
    if (queue.maxLimit !== undefined) properties.set('max-limit', queue.maxLimit);
    if (queue.comment !== undefined) properties.set('comment', queue.comment);
    return formatId(this.queueMenu.create(this.queueMenu.normalize(encode(properties))).id);
  }

  addProfile(profile: { name: string; rateLimit?: string; remoteAddress?: string }): string {
    const properties = new Map([['name', profile.name]]);
    if (profile.rateLimit !== undefined) properties.set('rate-limit', profile.rateLimit);
    if (profile.remoteAddress !== undefined) properties.set('remote-address', profile.remoteAddress);
    return formatId(this.profileMenu.create(this.profileMenu.normalize(encode(properties))).id);
  }

  secrets(): ReadonlyArray<Record<string, string>> {
    return this.secretMenu.rows().map(decodeRow);
  }

  queues(): ReadonlyArray<Record<string, string>> {
    return this.queueMenu.rows().map(decodeRow);
  }

  /** Throws SessionRefused when the secret is missing, disabled, the password or service is wrong. */
  connectSession(
    name: string,
    password: string,
    options: { service?: string; callerId?: string } = {},
  ): void {
    this.ppp.connect(fromUtf8(name), fromUtf8(password), {
      service: options.service,
      callerId: options.callerId === undefined ? undefined : fromUtf8(options.callerId),
    });
  }

  private endSession(name: string, reason: DisconnectReason): boolean {
    const session = this.state.sessions.findByName(fromUtf8(name));
    if (!session) return false;
    this.ppp.disconnect(session, reason);
    return true;
  }

  /** The router ends the session (as `/ppp/active/remove` does). */
  kickSession(name: string): boolean {
    return this.endSession(name, 'admin-disconnect');
  }

  /** The client hangs up. */
  disconnectSession(name: string): boolean {
    return this.endSession(name, 'peer-disconnect');
  }

  activeSessions(): ReadonlyArray<ActiveSessionView> {
    return [...this.state.sessions.all()].map((session) => ({
      name: toUtf8(session.name),
      address: formatIpv4(session.address),
      service: session.service,
      callerId: toUtf8(session.callerId),
    }));
  }

  setTrafficRate(name: string, rate: TrafficRate): void {
    this.traffic.setRate(fromUtf8(name), rate);
  }

  trafficRate(name: string): TrafficRate {
    return this.traffic.rateOf(fromUtf8(name));
  }

  /** Moves the virtual clock: uptime, session uptimes and traffic. */
  advance(milliseconds: number): void {
    this.traffic.advance(milliseconds);
  }

  /** Bytes the client really moved, over all its sessions since the router started (reboots included). */
  groundTruth(name: string): { uploadBytes: bigint; downloadBytes: bigint } {
    return this.traffic.groundTruth(fromUtf8(name));
  }

  accountsWithTraffic(): string[] {
    return this.traffic.accountsWithTraffic().map(toUtf8);
  }

  /** Keeps configuration; drops sessions and API connections, resets counters and uptime. */
  reboot(): void {
    const state = this.state;
    this.ppp.dropAll();
    state.bootTime = state.now;
    state.uptime = 0;
    for (const netInterface of state.interfaces.all()) {
      netInterface.counters = zeroCounters();
      netInterface.linkDowns = 0;
      netInterface.lastLinkUp = state.bootTime;
    }
    for (const queue of state.queues.all()) {
      queue.uploadBytes = 0n;
      queue.downloadBytes = 0n;
      queue.uploadPackets = 0n;
      queue.downloadPackets = 0n;
      queue.uploadRate = 0n;
      queue.downloadRate = 0n;
    }
    this.dropConnections();
  }

  setFault(fault: RouterFault | undefined): void {
    const wasOffline = this.connectionHost.fault?.kind === 'offline';
    this.connectionHost.fault = fault;
    if (fault?.kind === 'offline' && !wasOffline) {
      this.dropConnections();
      void this.closeServers();
    } else if (fault?.kind !== 'offline' && wasOffline && !this.stopped) {
      this.listening = this.listen(this.currentApiPort, this.currentTlsPort ?? 0);
      this.listening.catch(() => undefined);
    }
  }

  /** Resolves once the router listens again after an `offline` fault was cleared (same ports). */
  whenListening(): Promise<void> {
    return this.listening;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listening.catch(() => undefined);
    this.dropConnections();
    await this.closeServers();
  }

  private dropConnections(): void {
    for (const connection of [...this.connections]) connection.destroy();
  }

  private async listen(apiPort: number, tlsPort: number): Promise<void> {
    const accept = (socket: Socket) => {
      const connection = new ApiConnection(socket, this.connectionHost, (closed) =>
        this.connections.delete(closed),
      );
      this.connections.add(connection);
    };
    const apiServer = createServer(accept);
    this.apiServer = apiServer;
    this.currentApiPort = await listenOn(apiServer, apiPort, this.host);
    if (this.certificate) {
      const tlsServer = createTlsServer({ key: this.certificate.key, cert: this.certificate.cert }, accept);
      this.tlsServer = tlsServer;
      this.currentTlsPort = await listenOn(tlsServer, tlsPort, this.host);
    }
  }

  private async closeServers(): Promise<void> {
    const servers = [this.apiServer, this.tlsServer].filter(
      (server): server is Server => server !== undefined,
    );
    this.apiServer = undefined;
    this.tlsServer = undefined;
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

const encode = (properties: ReadonlyMap<string, string>): Map<string, string> =>
  new Map([...properties].map(([key, value]) => [key, fromUtf8(value)]));

const decodeRow = (row: PrintedRow): Record<string, string> =>
  Object.fromEntries([...row].map(([key, value]) => [key, toUtf8(value)]));
