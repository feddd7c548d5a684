/**
 * The RouterOS API wire format: length-prefixed words, sentences ended by a zero-length word.
 * Words stay Buffers here; nothing in this file assumes an encoding.
 */

export type Sentence = Buffer[];

/** A first byte of 0xF8 or above is a reserved control byte; RouterOS drops such a connection. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const MAX_LENGTH = 0xffffffff;

export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new RangeError(`word length ${length} cannot be encoded`);
  }
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) return Buffer.from([(length >>> 8) | 0x80, length & 0xff]);
  if (length < 0x200000) {
    return Buffer.from([(length >>> 16) | 0xc0, (length >>> 8) & 0xff, length & 0xff]);
  }
  if (length < 0x10000000) {
    return Buffer.from([
      (length >>> 24) | 0xe0,
      (length >>> 16) & 0xff,
      (length >>> 8) & 0xff,
      length & 0xff,
    ]);
  }
  const encoded = Buffer.alloc(5);
  encoded[0] = 0xf0;
  encoded.writeUInt32BE(length, 1);
  return encoded;
}

/**
 * Reads a length prefix at `offset`. Returns undefined while the prefix is incomplete.
 * Throws ProtocolError on a reserved control byte.
 */
export function decodeLength(
  buffer: Buffer,
  offset = 0,
): { length: number; prefixBytes: number } | undefined {
  if (offset >= buffer.length) return undefined;
  const first = buffer[offset];
  let prefixBytes: number;
  if (first < 0x80) prefixBytes = 1;
  else if (first < 0xc0) prefixBytes = 2;
  else if (first < 0xe0) prefixBytes = 3;
  else if (first < 0xf0) prefixBytes = 4;
  else if (first < 0xf8) prefixBytes = 5;
  else throw new ProtocolError(`reserved control byte 0x${first.toString(16)}`);
  if (offset + prefixBytes > buffer.length) return undefined;
  switch (prefixBytes) {
    case 1:
      return { length: first, prefixBytes };
    case 2:
      return { length: ((first & 0x3f) << 8) | buffer[offset + 1], prefixBytes };
    case 3:
      return { length: ((first & 0x1f) << 16) | buffer.readUInt16BE(offset + 1), prefixBytes };
    case 4:
      return { length: (first & 0x0f) * 0x1000000 + buffer.readUIntBE(offset + 1, 3), prefixBytes };
    default:
      return { length: buffer.readUInt32BE(offset + 1), prefixBytes };
  }
}

export function encodeWord(word: Buffer): Buffer {
  return Buffer.concat([encodeLength(word.length), word]);
}

export function encodeSentence(words: ReadonlyArray<Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const word of words) parts.push(encodeLength(word.length), word);
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** Several sentences as one buffer, so that a whole reply leaves in a single socket write. */
export function encodeSentences(sentences: ReadonlyArray<ReadonlyArray<Buffer>>): Buffer {
  return Buffer.concat(sentences.map(encodeSentence));
}

/**
 * Incremental decoder for a byte stream that may be fragmented at any offset.
 * Empty sentences (a lone zero byte) are skipped, as RouterOS does.
 */
export class SentenceDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private awaitedBytes = 1;
  private words: Buffer[] = [];

  push(chunk: Buffer): Sentence[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.awaitedBytes) return [];
    let buffer = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    let offset = 0;
    const sentences: Sentence[] = [];
    for (;;) {
      const header = decodeLength(buffer, offset);
      if (header === undefined) {
        this.awaitedBytes = buffer.length - offset + 1;
        break;
      }
      const end = offset + header.prefixBytes + header.length;
      if (end > buffer.length) {
        this.awaitedBytes = end - offset;
        break;
      }
      if (header.length === 0) {
        if (this.words.length > 0) sentences.push(this.words);
        this.words = [];
      } else {
        this.words.push(Buffer.from(buffer.subarray(offset + header.prefixBytes, end)));
      }
      offset = end;
    }
    buffer = buffer.subarray(offset);
    this.pending = buffer.length > 0 ? [buffer] : [];
    this.pendingBytes = buffer.length;
    if (buffer.length === 0) this.awaitedBytes = 1;
    return sentences;
  }
}
