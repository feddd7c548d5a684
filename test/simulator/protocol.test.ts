import { createHash } from 'node:crypto';
import { Socket } from 'node:net';
import { startRouter, type SimulatedRouter } from '../../simulator';
import { encodeLength } from '../../simulator/wire';
import { attributesOf, RawClient, rowsOf, toWire } from './raw-client';

let router: SimulatedRouter;
const clients: RawClient[] = [];
const track = (client: RawClient) => {
  clients.push(client);
  return client;
};

beforeAll(async () => {
  router = await startRouter({ apiUser: 'api', apiPassword: 'sécret' });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(() => router.stop());

const login = (client: RawClient, tag?: string) =>
  client.command([
    '/login',
    '=name=api',
    Buffer.from('=password=sécret', 'utf8'),
    ...(tag ? [`.tag=${tag}`] : []),
  ]);

describe('login', () => {
  it('answers a good login with a bare !done, byte for byte', async () => {
    const client = track(await RawClient.connect(router.apiPort));
    await login(client);
    expect(client.bytes.toString('hex')).toBe('05' + Buffer.from('!done').toString('hex') + '00');
  });

  it('tags the login reply', async () => {
    const client = track(await RawClient.connect(router.apiPort));
    await login(client, 'x1');
    expect(client.bytes).toEqual(toWire(['!done', '.tag=x1']));
  });

  it('refuses a wrong password with trap then done and keeps the connection', async () => {
    const client = track(await RawClient.connect(router.apiPort));
    const reply = await client.command(['/login', '=name=api', '=password=nope']);
    expect(reply).toEqual([['!trap', '=message=invalid user name or password (6)'], ['!done']]);
    expect(client.closed).toBe(false);
    expect((await login(client))[0]).toEqual(['!done']);
  });

  it('refuses commands before login with !fatal and closes', async () => {
    const client = track(await RawClient.connect(router.apiPort));
    const reply = await client.command(['/system/identity/print', '.tag=1']);
    expect(reply).toEqual([['!fatal', 'not logged in']]);
    await client.waitForClose();
  });

  it('answers the # keepalive with !done, before and after login', async () => {
    const client = track(await RawClient.connect(router.apiPort));
    expect(await client.command(['#'])).toEqual([['!done']]);
    await login(client);
    expect(await client.command(['#', '.tag=k'])).toEqual([['!done', '.tag=k']]);
  });

  it('does the legacy challenge login when configured', async () => {
    const legacy = await startRouter({ legacyLogin: true, apiPassword: 'pw' });
    try {
      const client = track(await RawClient.connect(legacy.apiPort));
      const [challengeReply] = await client.command(['/login']);
      expect(challengeReply[0]).toBe('!done');
      const challenge = attributesOf(challengeReply).ret;
      expect(challenge).toMatch(/^[0-9a-f]{32}$/);
      const wrong = await client.command(['/login', '=name=admin', `=response=00${'0'.repeat(32)}`]);
      expect(wrong[0]).toEqual(['!trap', '=message=invalid user name or password (6)']);

      const [second] = await client.command(['/login']);
      const fresh = attributesOf(second).ret;
      const digest = createHash('md5')
        .update(Buffer.concat([Buffer.from([0]), Buffer.from('pw'), Buffer.from(fresh, 'hex')]))
        .digest('hex');
      expect(await client.command(['/login', '=name=admin', `=response=00${digest}`])).toEqual([['!done']]);
      expect(rowsOf(await client.command(['/system/identity/print']))).toEqual([{ name: 'MikroTik' }]);
    } finally {
      await legacy.stop();
    }
  });
});

describe('words and sentences', () => {
  it.each([0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000])(
    'round-trips a %i-byte word with the right length prefix',
    async (wordLength) => {
      const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
      const name = `len${wordLength}`;
      const comment = Buffer.alloc(wordLength - '=comment='.length, 0x41 + (wordLength % 26));
      const word = Buffer.concat([Buffer.from('=comment='), comment]);
      await client.command(['/ppp/secret/add', `=name=${name}`, word]);
      const start = client.received.length;
      const reply = await client.command(['/ppp/secret/print', '=.proplist=comment', `?name=${name}`], 5000);
      expect(reply[0][1].length).toBe(wordLength);
      expect(Buffer.from(reply[0][1], 'latin1').equals(word)).toBe(true);
      const bytes = Buffer.concat(client.received.slice(start));
      const expected = Buffer.concat([encodeLength(wordLength), word.subarray(0, 16)]);
      expect(bytes.indexOf(expected)).toBe(4);
    },
  );

  it('accepts a word with a five-byte length prefix', async () => {
    const client = track(await RawClient.connect(router.apiPort));
    await client.write(
      Buffer.concat([
        Buffer.from('f000000006', 'hex'),
        Buffer.from('/login'),
        toWire(['=name=api', Buffer.from('=password=sécret')]),
      ]),
    );
    await client.waitFor(() => client.sentences.length === 1);
    expect(client.sentences).toEqual([['!done']]);
  });

  it('executes a sentence split at every offset only when its final zero byte arrives', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    const sentence = toWire(['/system/identity/print', '=.proplist=name', '.tag=split']);
    for (let cut = 1; cut < sentence.length; cut += 1) {
      const before = client.sentences.length;
      await client.write(sentence.subarray(0, cut));
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(client.sentences.length).toBe(before);
      await client.write(sentence.subarray(cut));
      await client.waitFor(() => client.sentences.length === before + 2);
      expect(client.sentences.slice(before)).toEqual([
        ['!re', '=name=MikroTik', '.tag=split'],
        ['!done', '.tag=split'],
      ]);
    }
  });

  it('answers several sentences from one segment in order, ignoring empty sentences', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    await client.write(
      Buffer.concat([
        toWire(['#', '.tag=a']),
        Buffer.from([0]),
        toWire(['/system/identity/print', '.tag=b']),
        toWire(['#', '.tag=c']),
      ]),
    );
    await client.waitFor(() => client.sentences.length === 5);
    expect(client.sentences.slice(1)).toEqual([
      ['!done', '.tag=a'],
      ['!re', '=name=MikroTik', '.tag=b'],
      ['!done', '.tag=b'],
      ['!done', '.tag=c'],
    ]);
  });

  it('reads .tag anywhere in the sentence', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    expect(await client.command(['.tag=first', '/system/identity/print'])).toEqual([
      ['!re', '=name=MikroTik', '.tag=first'],
      ['!done', '.tag=first'],
    ]);
    expect(await client.command(['/system/identity/print', '.tag=middle', '=.proplist=name'])).toEqual([
      ['!re', '=name=MikroTik', '.tag=middle'],
      ['!done', '.tag=middle'],
    ]);
  });

  it('passes non-UTF-8 bytes, values with = and empty values through untouched', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    const raw = Buffer.from([
      0x3d, 0x63, 0x6f, 0x6d, 0x6d, 0x65, 0x6e, 0x74, 0x3d, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0xf8, 0x00, 0x3d,
    ]);
    await client.command(['/ppp/secret/add', '=name=bytes', raw]);
    await client.command(['/ppp/secret/add', '=name=equals', '=comment=a=b==c=']);
    await client.command(['/ppp/secret/add', '=name=empty', '=comment=', '=caller-id']);
    const rows = rowsOf(
      await client.command([
        '/ppp/secret/print',
        '=.proplist=name,comment,caller-id',
        '?name=bytes',
        '?name=equals',
        '?name=empty',
        '?#||',
      ]),
    );
    expect(rows).toEqual([
      { name: 'bytes', comment: raw.subarray(9).toString('latin1') },
      { name: 'equals', comment: 'a=b==c=' },
      { name: 'empty', 'caller-id': '' },
    ]);
  });

  it('closes the connection on a reserved control byte', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    await client.write(Buffer.from([0xf8]));
    await client.waitForClose();
  });

  it('sends each whole reply in a single socket write', async () => {
    for (let index = 0; index < 200; index += 1) {
      router.addStaticQueue({ name: `write-${index}`, target: `10.99.${index >> 8}.${index & 255}` });
    }
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    const write = jest.spyOn(Socket.prototype, 'write');
    try {
      const reply = await client.command(['/queue/simple/print', '.tag=big']);
      expect(reply.length).toBeGreaterThan(200);
      const serverWrites = write.mock.contexts.filter((context) => context !== client.socket);
      expect(serverWrites).toHaveLength(1);
    } finally {
      write.mockRestore();
    }
  });
});

describe('concurrent commands and /cancel', () => {
  it('answers a later command while an earlier one still runs, then cancels it exactly', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    await client.send(['/system/identity/print', '=interval=20ms', '.tag=slow']);
    await client.waitFor(() => client.sentences.filter((s) => s.includes('.tag=slow')).length >= 2);
    expect(await client.command(['/system/resource/print', '=.proplist=version', '.tag=fast'])).toEqual([
      ['!re', '=version=7.18.2 (stable)', '.tag=fast'],
      ['!done', '.tag=fast'],
    ]);
    expect(client.sentences.some((s) => s[0] === '!done' && s.includes('.tag=slow'))).toBe(false);

    const start = client.sentences.length;
    await client.send(['/cancel', '=tag=slow', '.tag=stop']);
    await client.waitFor(() => client.sentences.slice(start).some((s) => s.join() === '!done,.tag=slow'));
    const afterCancel = client.sentences.slice(start).filter((s) => s[0] !== '!re');
    expect(afterCancel).toEqual([
      ['!trap', '=category=2', '=message=interrupted', '.tag=slow'],
      ['!done', '.tag=stop'],
      ['!done', '.tag=slow'],
    ]);
    const settled = client.sentences.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(client.sentences.length).toBe(settled);
  });

  it('cancels every running command when /cancel has no =tag=', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    await client.send(['/system/identity/print', '=interval=1s', '.tag=a']);
    await client.send(['/system/identity/print', '=interval=1s', '.tag=b']);
    await client.waitFor(() => client.sentences.filter((s) => s[0] === '!re').length === 2);
    const start = client.sentences.length;
    await client.send(['/cancel', '.tag=c']);
    await client.waitFor(() => client.sentences.length === start + 5);
    expect(client.sentences.slice(start)).toEqual([
      ['!trap', '=category=2', '=message=interrupted', '.tag=a'],
      ['!trap', '=category=2', '=message=interrupted', '.tag=b'],
      ['!done', '.tag=c'],
      ['!done', '.tag=a'],
      ['!done', '.tag=b'],
    ]);
  });

  it('answers a cancel of nothing with a plain !done', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    expect(await client.command(['/cancel', '=tag=nothing', '.tag=c'])).toEqual([['!done', '.tag=c']]);
  });
});

describe('errors', () => {
  it('traps an unknown menu twice, like RouterOS', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    expect(await client.command(['/ip/adress/print'])).toEqual([
      ['!trap', '=category=0', '=message=no such command or directory (adress)'],
      ['!trap', '=message=no such command prefix'],
      ['!done'],
    ]);
  });

  it('traps an unknown command of a known menu', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    expect(await client.command(['/ppp/secret/frobnicate', '.tag=t'])).toEqual([
      ['!trap', '=category=0', '=message=no such command or directory (frobnicate)', '.tag=t'],
      ['!done', '.tag=t'],
    ]);
  });

  it('traps an unknown parameter', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    expect(await client.command(['/ppp/secret/add', '=name=x', '=colour=red'])).toEqual([
      ['!trap', '=message=unknown parameter colour'],
      ['!done'],
    ]);
  });

  it('ends the session on /quit', async () => {
    const client = track(await RawClient.loggedIn(router.apiPort, 'api', 'sécret'));
    expect(await client.command(['/quit'])).toEqual([['!fatal', 'session terminated on request']]);
    await client.waitForClose();
  });
});

describe('empty print', () => {
  it.each([
    ['7.18.2', [['!empty'], ['!done']]],
    ['7.15.3', [['!done']]],
  ])('on %s answers an empty print with %j', async (version, expected) => {
    const versioned = await startRouter({ version });
    try {
      const client = track(await RawClient.loggedIn(versioned.apiPort));
      expect(await client.command(['/ppp/secret/print'])).toEqual(expected);
      expect(rowsOf(await client.command(['/system/resource/print', '=.proplist=version']))).toEqual([
        { version: `${version} (stable)` },
      ]);
    } finally {
      await versioned.stop();
    }
  });
});
