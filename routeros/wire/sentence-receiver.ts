/**
 * Stands in for node-routeros's Receiver, whose framing is where 1.6.9 breaks:
 * - it hands `!empty` (RouterOS 7.18+, empty print) to the Channel, which throws inside the socket
 *   handler and leaves the receiver's pipe flag set, so every later reply on the connection is lost;
 * - it delivers a sentence only when more data arrives after it, so a reply whose final zero byte
 *   comes in its own TCP segment waits until the next reply;
 * - it throws on a reply for a tag nobody reads and drops the `!fatal` reason.
 * This class keeps the same public shape (read / stop / processRawData) and delivers every complete
 * sentence the moment its terminating zero-length word arrives.
 */

export interface ReceiverEvents {
  /** `!fatal <reason>`: the router is closing the session. */
  onFatal(reason: string): void;
  /** Bytes that are not a RouterOS reply; the connection cannot be trusted any more. */
  onProtocolError(message: string): void;
}

type Reader = (packet: string[]) => void;

const DELIVERED_REPLIES = new Set(['!re', '!done', '!trap']);
const TAG_PREFIX = '.tag=';

export class SentenceReceiver {
  private readonly readers = new Map<string, Reader>();
  private readonly decoder = new TextDecoder('windows-1252');
  private leftover: Buffer = Buffer.alloc(0);
  private words: string[] = [];
  private failed = false;

  constructor(private readonly events: ReceiverEvents) {}

  read(tag: string, callback: Reader): void {
    this.readers.set(tag, callback);
  }

  stop(tag: string): void {
    this.readers.delete(tag);
  }

  processRawData(data: Buffer): void {
    if (this.failed) return;
    const buffer = this.leftover.length > 0 ? Buffer.concat([this.leftover, data]) : data;
    let offset = 0;
    while (offset < buffer.length) {
      const prefix = decodeWordLength(buffer, offset);
      if (prefix === 'control') {
        this.fail(`reserved control byte 0x${buffer[offset].toString(16)}`);
        return;
      }
      if (!prefix) break;
      const start = offset + prefix.prefixBytes;
      const end = start + prefix.length;
      if (end > buffer.length) break;
      offset = end;
      if (prefix.length === 0) {
        const sentence = this.words;
        this.words = [];
        this.deliver(sentence);
        if (this.failed) return;
      } else {
        this.words.push(this.decoder.decode(buffer.subarray(start, end)));
      }
    }
    this.leftover = Buffer.from(buffer.subarray(offset));
  }

  private deliver(sentence: string[]): void {
    if (sentence.length === 0) return;
    const [reply, ...rest] = sentence;
    if (reply === '!fatal') {
      this.failed = true;
      this.events.onFatal(rest.join(' '));
      return;
    }
    if (reply === '!empty') return;
    if (!DELIVERED_REPLIES.has(reply)) {
      this.fail(`unexpected reply ${JSON.stringify(reply.slice(0, 40))}`);
      return;
    }
    const tagWord = rest.find((word) => word.startsWith(TAG_PREFIX));
    const reader = tagWord === undefined ? undefined : this.readers.get(tagWord.slice(TAG_PREFIX.length));
    reader?.([reply, ...rest.filter((word) => word !== tagWord)]);
  }

  private fail(message: string): void {
    this.failed = true;
    this.events.onProtocolError(message);
  }
}

/**
 * Reads a word-length prefix at `offset`: undefined while it is incomplete, `'control'` for a
 * reserved first byte (0xF8 and above).
 */
export function decodeWordLength(
  buffer: Buffer,
  offset: number,
): { length: number; prefixBytes: number } | 'control' | undefined {
  const first = buffer[offset];
  if (first >= 0xf8) return 'control';
  const prefixBytes = first < 0x80 ? 1 : first < 0xc0 ? 2 : first < 0xe0 ? 3 : first < 0xf0 ? 4 : 5;
  if (offset + prefixBytes > buffer.length) return undefined;
  switch (prefixBytes) {
    case 1:
      return { length: first, prefixBytes };
    case 2:
      return { length: buffer.readUInt16BE(offset) & 0x3fff, prefixBytes };
    case 3:
      return { length: ((first & 0x1f) << 16) | buffer.readUInt16BE(offset + 1), prefixBytes };
    case 4:
      return { length: buffer.readUInt32BE(offset) & 0x0fffffff, prefixBytes };
    default:
      return { length: buffer.readUInt32BE(offset + 1), prefixBytes };
  }
}
