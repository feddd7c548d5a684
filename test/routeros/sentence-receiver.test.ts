import { encodeSentence } from '../../simulator';
import { decodeWordLength, SentenceReceiver } from '../../routeros/wire/sentence-receiver';

function receiverWithLog() {
  const events: string[] = [];
  const receiver = new SentenceReceiver({
    onFatal: (reason) => events.push(`fatal:${reason}`),
    onProtocolError: (message) => events.push(`protocol:${message}`),
  });
  const packets: string[][] = [];
  receiver.read('7', (packet) => packets.push(packet));
  return { receiver, packets, events };
}

const sentence = (...words: string[]) => encodeSentence(words.map((word) => Buffer.from(word)));

describe('SentenceReceiver', () => {
  it('delivers each sentence to its tag without the .tag word', () => {
    const { receiver, packets } = receiverWithLog();
    receiver.processRawData(
      Buffer.concat([sentence('!re', '=name=a', '.tag=7'), sentence('!done', '.tag=7', '=ret=*1')]),
    );
    expect(packets).toEqual([
      ['!re', '=name=a'],
      ['!done', '=ret=*1'],
    ]);
  });

  it('delivers a reply whose terminating zero byte arrives in a later chunk, and any split', () => {
    const bytes = Buffer.concat([
      sentence('!re', '=comment=' + 'x'.repeat(300), '.tag=7'),
      sentence('!done', '.tag=7'),
    ]);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const { receiver, packets } = receiverWithLog();
      receiver.processRawData(bytes.subarray(0, cut));
      receiver.processRawData(bytes.subarray(cut));
      expect(packets.map((packet) => packet[0])).toEqual(['!re', '!done']);
    }
    const { receiver, packets } = receiverWithLog();
    receiver.processRawData(bytes.subarray(0, bytes.length - 1));
    expect(packets).toHaveLength(1);
    receiver.processRawData(bytes.subarray(bytes.length - 1));
    expect(packets).toHaveLength(2);
  });

  it('drops !empty and still delivers the !done that follows it', () => {
    const { receiver, packets, events } = receiverWithLog();
    receiver.processRawData(Buffer.concat([sentence('!empty', '.tag=7'), sentence('!done', '.tag=7')]));
    expect(packets).toEqual([['!done']]);
    expect(events).toEqual([]);
  });

  it('ignores replies for tags nobody reads instead of throwing', () => {
    const { receiver, packets } = receiverWithLog();
    receiver.processRawData(Buffer.concat([sentence('!done', '.tag=99'), sentence('!done', '.tag=7')]));
    expect(packets).toEqual([['!done']]);
  });

  it('reports !fatal with its reason and stops reading', () => {
    const { receiver, packets, events } = receiverWithLog();
    receiver.processRawData(
      Buffer.concat([sentence('!fatal', 'not logged in'), sentence('!done', '.tag=7')]),
    );
    expect(events).toEqual(['fatal:not logged in']);
    expect(packets).toEqual([]);
  });

  it('reports unknown replies and reserved control bytes as protocol errors', () => {
    const unknown = receiverWithLog();
    unknown.receiver.processRawData(sentence('!weird', '.tag=7'));
    expect(unknown.events).toEqual(['protocol:unexpected reply "!weird"']);
    const control = receiverWithLog();
    control.receiver.processRawData(Buffer.from([0xf8, 0x00]));
    expect(control.events).toEqual(['protocol:reserved control byte 0xf8']);
  });
});

describe('decodeWordLength', () => {
  it.each([
    [[0x05], 5, 1],
    [[0x80, 0x80], 0x80, 2],
    [[0xbf, 0xff], 0x3fff, 2],
    [[0xc0, 0x40, 0x00], 0x4000, 3],
    [[0xe0, 0x20, 0x00, 0x00], 0x200000, 4],
    [[0xf0, 0x10, 0x00, 0x00, 0x00], 0x10000000, 5],
  ])('decodes %j', (bytes, length, prefixBytes) => {
    expect(decodeWordLength(Buffer.from(bytes), 0)).toEqual({ length, prefixBytes });
  });

  it('waits for an incomplete prefix', () => {
    expect(decodeWordLength(Buffer.from([0xc0, 0x40]), 0)).toBeUndefined();
  });
});
