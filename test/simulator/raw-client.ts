import { createHash } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { encodeSentence, SentenceDecoder } from '../../simulator/wire';

/** A sentence as text words (latin1, so any byte survives). */
export type Words = string[];

export const toWire = (words: ReadonlyArray<string | Buffer>): Buffer =>
  encodeSentence(words.map((word) => (typeof word === 'string' ? Buffer.from(word, 'latin1') : word)));

/**
 * A bare API client over a real socket: sends bytes as given, collects every byte and sentence
 * received, and notices when the router closes the connection.
 */
export class RawClient {
  readonly received: Buffer[] = [];
  readonly sentences: Words[] = [];
  closed = false;
  private readonly decoder = new SentenceDecoder();
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      for (const sentence of this.decoder.push(chunk)) {
        this.sentences.push(sentence.map((word) => word.toString('latin1')));
      }
      this.notify();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connectTcp(port, host, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /**
   * Connects over TLS, accepting the router's self-signed certificate only when the SHA-256 of its DER
   * encoding equals `pinnedFingerprint` (lowercase hex), the way a client pins a router.
   */
  static connectTls(port: number, pinnedFingerprint: string | undefined): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connectTls({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
        const fingerprint = createHash('sha256').update(socket.getPeerCertificate().raw).digest('hex');
        if (fingerprint === pinnedFingerprint) {
          resolve(new RawClient(socket));
        } else {
          socket.destroy();
          reject(new Error(`certificate ${fingerprint} is not the pinned one`));
        }
      });
      socket.once('error', reject);
    });
  }

  static async loggedIn(port: number, user = 'admin', password = 'admin'): Promise<RawClient> {
    const client = await RawClient.connect(port);
    const reply = await client.command([
      '/login',
      Buffer.from(`=name=${user}`, 'utf8'),
      Buffer.from(`=password=${password}`, 'utf8'),
    ]);
    if (reply[0][0] !== '!done') throw new Error(`login failed: ${JSON.stringify(reply)}`);
    return client;
  }

  get bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  }

  send(words: ReadonlyArray<string | Buffer>): Promise<void> {
    return this.write(toWire(words));
  }

  /** Waits until `predicate` holds for what was received, or fails after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        reject(new Error(`timed out; received ${JSON.stringify(this.sentences)}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  /** Sends an untagged command and returns its reply sentences up to and including `!done` (or `!fatal`). */
  async command(words: ReadonlyArray<string | Buffer>, timeoutMs = 2000): Promise<Words[]> {
    const start = this.sentences.length;
    await this.send(words);
    await this.waitFor(
      () =>
        this.sentences.slice(start).some((sentence) => sentence[0] === '!done' || sentence[0] === '!fatal'),
      timeoutMs,
    );
    const end = this.sentences
      .slice(start)
      .findIndex((sentence) => sentence[0] === '!done' || sentence[0] === '!fatal');
    return this.sentences.slice(start, start + end + 1);
  }

  waitForClose(timeoutMs = 2000): Promise<void> {
    return this.waitFor(() => this.closed, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** The `=name=value` attributes of a reply sentence. */
export function attributesOf(sentence: Words): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const word of sentence) {
    if (!word.startsWith('=')) continue;
    const separator = word.indexOf('=', 1);
    attributes[word.slice(1, separator)] = word.slice(separator + 1);
  }
  return attributes;
}

/** The rows of a print reply. */
export const rowsOf = (reply: Words[]): Array<Record<string, string>> =>
  reply.filter((sentence) => sentence[0] === '!re').map(attributesOf);
