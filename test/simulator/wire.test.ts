import {
  decodeLength,
  encodeLength,
  encodeSentence,
  ProtocolError,
  SentenceDecoder,
} from '../../simulator/wire';

describe('length prefixes', () => {
  const edges: Array<[number, string]> = [
    [0x00, '00'],
    [0x7f, '7f'],
    [0x80, '8080'],
    [0x3fff, 'bfff'],
    [0x4000, 'c04000'],
    [0x1fffff, 'dfffff'],
    [0x200000, 'e0200000'],
    [0xfffffff, 'efffffff'],
    [0x10000000, 'f010000000'],
    [0xffffffff, 'f0ffffffff'],
  ];

  it.each(edges)('encodes %i as %s and decodes it back', (length, hex) => {
    expect(encodeLength(length).toString('hex')).toBe(hex);
    expect(decodeLength(Buffer.from(hex, 'hex'))).toEqual({ length, prefixBytes: hex.length / 2 });
  });

  it('reports an incomplete prefix as undefined', () => {
    for (const [, hex] of edges) {
      const bytes = Buffer.from(hex, 'hex');
      for (let cut = 0; cut < bytes.length; cut += 1)
        expect(decodeLength(bytes.subarray(0, cut))).toBeUndefined();
    }
  });

  it('refuses reserved control bytes 0xF8..0xFF', () => {
    for (let byte = 0xf8; byte <= 0xff; byte += 1) {
      expect(() => decodeLength(Buffer.from([byte]))).toThrow(ProtocolError);
    }
  });

  it('refuses lengths that cannot be encoded', () => {
    expect(() => encodeLength(-1)).toThrow(RangeError);
    expect(() => encodeLength(2 ** 32)).toThrow(RangeError);
  });
});

describe('SentenceDecoder', () => {
  const login = Buffer.from(
    '062f6c6f67696e0b3d6e616d653d61646d696e103d70617373776f72643d736563726574062e7461673d3100',
    'hex',
  );

  it('matches the reference example byte for byte', () => {
    const words = ['/login', '=name=admin', '=password=secret', '.tag=1'].map((word) => Buffer.from(word));
    expect(encodeSentence(words)).toEqual(login);
    expect(new SentenceDecoder().push(login)).toEqual([words]);
  });

  it('decodes input split at every offset into the same sentences', () => {
    const long = Buffer.alloc(0x4000, 0x61);
    const stream = Buffer.concat([login, encodeSentence([Buffer.from('/x'), long]), Buffer.from([0])]);
    for (let cut = 0; cut <= stream.length; cut += cut < 64 || cut > stream.length - 64 ? 1 : 97) {
      const decoder = new SentenceDecoder();
      const sentences = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(sentences).toHaveLength(2);
      expect(sentences[1][1].equals(long)).toBe(true);
    }
  });

  it('decodes byte by byte', () => {
    const decoder = new SentenceDecoder();
    const sentences = [...login].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(sentences.map((sentence) => sentence.map(String))).toEqual([
      ['/login', '=name=admin', '=password=secret', '.tag=1'],
    ]);
  });

  it('skips empty sentences and returns several sentences from one chunk', () => {
    const bytes = Buffer.concat([Buffer.from([0, 0]), login, Buffer.from([0]), login]);
    expect(new SentenceDecoder().push(bytes)).toHaveLength(2);
  });

  it('accepts a non-minimal five-byte prefix', () => {
    const bytes = Buffer.concat([Buffer.from('f000000002', 'hex'), Buffer.from('/x'), Buffer.from([0])]);
    expect(new SentenceDecoder().push(bytes)).toEqual([[Buffer.from('/x')]]);
  });

  it('throws on a control byte where a length is expected', () => {
    expect(() => new SentenceDecoder().push(Buffer.from([0x02, 0x2f, 0x78, 0xf8]))).toThrow(ProtocolError);
  });
});
