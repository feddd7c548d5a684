import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { CommandDispatcher, ReplySentence } from './dispatcher';
import type { RouterFault } from './faults';
import { parseRequest, textToBytes, type ApiRequest } from './request';
import { ApiTrap, TrapCategory } from './trap';
import { encodeSentences, ProtocolError, SentenceDecoder } from './wire';

export interface ConnectionHost {
  readonly dispatcher: CommandDispatcher;
  /** Byte strings (see request.ts). */
  readonly apiUser: string;
  readonly apiPassword: string;
  readonly legacyLogin: boolean;
  readonly fault: RouterFault | undefined;
  /** Called with the path of every command a logged-in session sends (`/queue/simple/print`, ...). */
  readonly commandReceived: (command: string) => void;
}

const INVALID_LOGIN = 'invalid user name or password (6)';

/**
 * One API session. Commands before login get `!fatal not logged in` and the connection is closed
 * (the simulator's pick; RouterOS refuses them and drops the session). Every reply to a command
 * leaves in a single socket write.
 */
export class ApiConnection {
  private readonly decoder = new SentenceDecoder();
  private loggedIn = false;
  private challenge: Buffer | undefined;
  /** `print =interval=` commands still running, by tag (undefined for an untagged one). */
  private readonly repeating = new Map<string | undefined, NodeJS.Timeout>();
  private readonly pendingWrites = new Set<NodeJS.Timeout>();
  /** False once the session is ending: nothing more may be written. */
  private writable = true;
  private cleanedUp = false;

  constructor(
    private readonly socket: Socket,
    private readonly host: ConnectionHost,
    private readonly onClose: (connection: ApiConnection) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.cleanUp());
  }

  /** Drops the TCP connection at once, like a router going away. */
  destroy(): void {
    this.socket.destroy();
    this.cleanUp();
  }

  private cleanUp(): void {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    this.writable = false;
    for (const timer of this.repeating.values()) clearInterval(timer);
    for (const timer of this.pendingWrites) clearTimeout(timer);
    this.repeating.clear();
    this.pendingWrites.clear();
    this.onClose(this);
  }

  private receive(chunk: Buffer): void {
    let sentences;
    try {
      sentences = this.decoder.push(chunk);
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.destroy();
        return;
      }
      throw error;
    }
    for (const sentence of sentences) {
      if (!this.writable) return;
      this.handle(parseRequest(sentence));
    }
  }

  private handle(request: ApiRequest): void {
    switch (request.command) {
      case '#':
        return this.reply(request.tag, [['!done']], false);
      case '/login':
        return this.login(request);
      case '/cancel':
        if (this.loggedIn) return this.cancel(request);
        break;
      case '/quit':
        return this.fatal('session terminated on request');
    }
    if (!this.loggedIn) return this.fatal('not logged in');
    this.host.commandReceived(request.command);
    const fault = this.host.fault;
    if (fault?.kind === 'fatal') return this.fatal(fault.reason ?? 'session terminated');
    if (fault?.kind === 'trap' && fault.command === request.command) {
      return this.reply(request.tag, trapSentences(new ApiTrap(fault.message, fault.category)), true);
    }
    try {
      const result = this.host.dispatcher.execute(request);
      if (result.kind === 'reply') return this.reply(request.tag, result.sentences, true);
      this.stopRepeating(request.tag);
      this.reply(request.tag, result.produce(), true);
      this.repeating.set(
        request.tag,
        setInterval(() => this.reply(request.tag, result.produce(), true), result.intervalMs),
      );
    } catch (error) {
      if (!(error instanceof ApiTrap)) throw error;
      this.reply(request.tag, trapSentences(error), true);
    }
  }

  private login(request: ApiRequest): void {
    const name = request.attributes.get('name');
    if (this.host.legacyLogin) {
      const response = request.attributes.get('response');
      if (response === undefined) {
        this.challenge = randomBytes(16);
        return this.reply(request.tag, [['!done', `=ret=${this.challenge.toString('hex')}`]], false);
      }
      const accepted =
        name === this.host.apiUser && this.challenge !== undefined && response === this.expectedResponse();
      this.challenge = undefined;
      return this.finishLogin(request.tag, accepted);
    }
    const password = request.attributes.get('password');
    this.finishLogin(request.tag, name === this.host.apiUser && password === this.host.apiPassword);
  }

  private expectedResponse(): string {
    const digest = createHash('md5')
      .update(Buffer.concat([Buffer.from([0]), textToBytes(this.host.apiPassword), this.challenge as Buffer]))
      .digest('hex');
    return `00${digest}`;
  }

  private finishLogin(tag: string | undefined, accepted: boolean): void {
    if (accepted) {
      this.loggedIn = true;
      return this.reply(tag, [['!done']], false);
    }
    this.reply(tag, [['!trap', `=message=${INVALID_LOGIN}`], ['!done']], false);
  }

  /**
   * `/cancel =tag=L` answers `!trap =category=2 =message=interrupted` for L, `!done` for the cancel,
   * then `!done` for L; without `=tag=` it cancels every running command. Cancelling nothing is a
   * plain `!done`.
   */
  private cancel(request: ApiRequest): void {
    const target = request.attributes.get('tag');
    const cancelled =
      target === undefined
        ? [...this.repeating.keys()].filter((tag) => tag !== request.tag)
        : this.repeating.has(target)
          ? [target]
          : [];
    const sentences: ReplySentence[] = [];
    for (const tag of cancelled) {
      this.stopRepeating(tag);
      sentences.push(
        withTag(['!trap', `=category=${TrapCategory.Interrupted}`, '=message=interrupted'], tag),
      );
    }
    sentences.push(withTag(['!done'], request.tag));
    for (const tag of cancelled) sentences.push(withTag(['!done'], tag));
    this.deliver(encodeSentences(sentences.map(toBytes)), true);
  }

  private stopRepeating(tag: string | undefined): void {
    const timer = this.repeating.get(tag);
    if (timer === undefined) return;
    clearInterval(timer);
    this.repeating.delete(tag);
  }

  private fatal(reason: string): void {
    this.writable = false;
    for (const timer of this.repeating.values()) clearInterval(timer);
    this.repeating.clear();
    this.socket.end(encodeSentences([toBytes(['!fatal', reason])]), () => this.socket.destroy());
  }

  private reply(tag: string | undefined, sentences: ReplySentence[], faultable: boolean): void {
    if (sentences.length === 0) return;
    this.deliver(encodeSentences(sentences.map((sentence) => toBytes(withTag(sentence, tag)))), faultable);
  }

  /** `faultable` replies are those to logged-in commands; stall and latency hit every reply. */
  private deliver(bytes: Buffer, faultable: boolean): void {
    if (!this.writable) return;
    const fault = this.host.fault;
    if (fault?.kind === 'stall') return;
    if (fault?.kind === 'drop-mid-reply' && faultable) {
      this.writable = false;
      this.socket.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => this.destroy());
      return;
    }
    if (fault?.kind === 'stall-mid-reply' && faultable) {
      this.writable = false;
      this.socket.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))));
      return;
    }
    if (fault?.kind === 'latency' && fault.milliseconds > 0) {
      const timer = setTimeout(() => {
        this.pendingWrites.delete(timer);
        if (this.writable) this.socket.write(bytes);
      }, fault.milliseconds);
      this.pendingWrites.add(timer);
      return;
    }
    this.socket.write(bytes);
  }
}

function withTag(sentence: ReplySentence, tag: string | undefined): ReplySentence {
  return tag === undefined ? sentence : [...sentence, `.tag=${tag}`];
}

const toBytes = (sentence: ReplySentence): Buffer[] => sentence.map(textToBytes);

function trapSentences(trap: ApiTrap): ReplySentence[] {
  const sentences: ReplySentence[] = [];
  for (const part of [{ message: trap.message, category: trap.category }, ...trap.followUps]) {
    const words = ['!trap'];
    if (part.category !== undefined) words.push(`=category=${part.category}`);
    words.push(`=message=${part.message}`);
    sentences.push(words);
  }
  sentences.push(['!done']);
  return sentences;
}
