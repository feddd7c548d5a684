import { createServer, type AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { NOTICE_FAILURE } from '../../domain/failures';
import {
  createMailActivities,
  type MailActivityDeps,
  type SendNoticeInput,
} from '../../notices/mail-activities';
import type { NoticeKind } from '../../notices/notice-kinds';
import type { NoticeKey } from '../../store/notice-store';
import type { Mailer } from '../../notices/mailer';
import { createSmtpMailer } from '../../notices/smtp-mailer';
import { InMemoryNoticeStore } from './in-memory-notice-store';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';

const NBSP = '\u00a0';

let sink: SmtpSink;
let mailer: Mailer;

beforeAll(async () => {
  sink = await startSmtpSink();
  mailer = createSmtpMailer(sink.url, { timeoutMs: 5_000 });
});

afterAll(async () => {
  await sink.close();
});

beforeEach(() => {
  sink.received.length = 0;
  sink.behaviour.failDataWith = undefined;
  sink.behaviour.rejectRecipient = undefined;
});

function activities(store: InMemoryNoticeStore, overrides: Partial<MailActivityDeps> = {}) {
  return createMailActivities({
    mailer,
    store,
    companyName: 'Example Networks',
    clientAreaUrl: 'https://billing.example.net/clientarea.php',
    from: '"Example Networks" <noreply@example.net>',
    ...overrides,
  });
}

function lowBalanceInput(overrides: Partial<SendNoticeInput> = {}): SendNoticeInput {
  return {
    serviceId: 42,
    kind: 'low-balance',
    cycleKey: '2026-11-01T00:00:00.000Z',
    to: 'anna@example.org',
    language: 'english',
    data: {
      clientName: 'Anna Nowak',
      serviceUsername: 'anna.vpn',
      serverHostname: 'vpn-waw1.example.net',
      remainingBytes: '1234567890123',
      thresholdBytes: '5000000000',
      cycleEndsAt: '2026-12-01T00:00:00.000Z',
    },
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the activity to fail');
}

function isNonRetryable(error: Error): boolean {
  return error instanceof ApplicationFailure && error.nonRetryable === true;
}

describe('sendNotice over a real SMTP server', () => {
  it.each([
    ['english', 'Your VPN traffic is running low – anna.vpn', '1,234.57 GB', '5.00 GB', 'December 1, 2026'],
    [
      'polish',
      'Kończy się transfer na Twoim koncie VPN – anna.vpn',
      '1234,57 GB',
      '5,00 GB',
      '1 grudnia 2026',
    ],
    ['german', 'Ihr VPN-Datenvolumen wird knapp – anna.vpn', '1.234,57 GB', '5,00 GB', '1. Dezember 2026'],
    ['russian', 'Трафик VPN заканчивается – anna.vpn', `1${NBSP}234,57 ГБ`, '5,00 ГБ', '1 декабря 2026 г.'],
    ['ukrainian', 'Трафік VPN закінчується – anna.vpn', `1${NBSP}234,57 ГБ`, '5,00 ГБ', '1 грудня 2026 р.'],
    [
      'spanish',
      'Le queda poco tráfico en su VPN – anna.vpn',
      '1234,57 GB',
      '5,00 GB',
      '1 de diciembre de 2026',
    ],
  ])('delivers a low-balance notice in %s', async (language, subject, remaining, threshold, cycleEnd) => {
    const result = await activities(new InMemoryNoticeStore()).sendNotice(lowBalanceInput({ language }));

    expect(result.status).toBe('sent');
    expect(sink.received).toHaveLength(1);
    const [{ envelopeTo, mail }] = sink.received as [(typeof sink.received)[number]];
    expect(envelopeTo).toEqual(['anna@example.org']);
    expect(mail.to).toMatchObject({ value: [{ address: 'anna@example.org' }] });
    expect(mail.from).toMatchObject({
      value: [{ address: 'noreply@example.net', name: 'Example Networks' }],
    });
    expect(mail.subject).toBe(subject);
    expect(mail.messageId).toBe(result.messageId);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const html = mail.html as string;
    const text = mail.text as string;
    for (const body of [html, text]) {
      expect(body).toContain(remaining);
      expect(body).toContain(threshold);
      expect(body).toContain(cycleEnd);
      expect(body).toContain('anna.vpn');
      expect(body).toContain('vpn-waw1.example.net');
      expect(body).toContain('Anna Nowak');
    }
    expect(html).toContain('href="https://billing.example.net/clientarea.php"');
    expect(text).toContain('https://billing.example.net/clientarea.php');
  });

  it.each([
    ['traffic-exhausted', 'Ihr VPN-Datenvolumen ist aufgebraucht – anna.vpn'],
    ['traffic-restored', 'Ihr VPN-Zugang wurde wiederhergestellt – anna.vpn'],
  ] as const)('delivers a %s notice, taking the cycle end as an ISO date too', async (kind, subject) => {
    const data = { ...lowBalanceInput().data, thresholdBytes: null, cycleEndsAt: '2026-12-01' };
    await activities(new InMemoryNoticeStore()).sendNotice(lowBalanceInput({ kind, language: 'de', data }));
    expect(sink.received.map((received) => received.mail.subject)).toEqual([subject]);
    expect(sink.received[0]?.mail.text).toContain('am 1. Dezember 2026');
  });

  it('delivers a hostile client name as text, never as markup', async () => {
    const hostileName = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await activities(new InMemoryNoticeStore()).sendNotice(
      lowBalanceInput({ data: { ...lowBalanceInput().data, clientName: hostileName } }),
    );
    const { mail } = sink.received[0] as (typeof sink.received)[number];
    const html = mail.html as string;
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(mail.text).toContain(`Hello ${hostileName},`);
  });

  it('sends one low-balance notice per cycle however often and concurrently it is called', async () => {
    const store = new InMemoryNoticeStore();
    const { sendNotice } = activities(store);

    const concurrent = await Promise.allSettled(
      Array.from({ length: 6 }, () => sendNotice(lowBalanceInput())),
    );
    const repeated = [];
    for (let call = 0; call < 3; call += 1) repeated.push(await sendNotice(lowBalanceInput()));

    const fulfilled = concurrent.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value] : [],
    );
    const rejected = concurrent.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as Error] : [],
    );
    expect(fulfilled.filter((result) => result.status === 'sent')).toHaveLength(1);
    // A loser of the race either sees the notice already sent or is told to retry while the winner sends.
    for (const error of rejected) {
      expect(isNonRetryable(error)).toBe(false);
      expect(error.message).toMatch(/being sent by another attempt/);
    }
    expect(repeated.map((result) => result.status)).toEqual(['already-sent', 'already-sent', 'already-sent']);
    expect(sink.received).toHaveLength(1);
    expect(store.sentCount()).toBe(1);

    await sendNotice(lowBalanceInput({ cycleKey: '2026-12-01T00:00:00.000Z' }));
    await sendNotice(lowBalanceInput({ kind: 'traffic-exhausted' }));
    expect(sink.received).toHaveLength(3);
  });

  it('fails retryably and marks nothing sent when the SMTP server refuses the message for now', async () => {
    const store = new InMemoryNoticeStore();
    const { sendNotice } = activities(store);
    sink.behaviour.failDataWith = 451;

    const error = await failureOf(sendNotice(lowBalanceInput()));

    expect(isNonRetryable(error)).toBe(false);
    expect(error.message).toMatch(/451/);
    expect(sink.received).toHaveLength(0);
    expect(store.sentCount()).toBe(0);

    sink.behaviour.failDataWith = undefined;
    await expect(sendNotice(lowBalanceInput())).resolves.toMatchObject({ status: 'sent' });
    expect(sink.received).toHaveLength(1);
  });

  it('keeps the claim when the server drops the connection before confirming the message', async () => {
    const received: string[] = [];
    const dropping = createServer((socket) => {
      let inData = false;
      let buffer = '';
      socket.write('220 dropping.example.net ESMTP\r\n');
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        if (inData) {
          if (!buffer.includes('\r\n.\r\n')) return;
          received.push(buffer);
          socket.destroy();
          return;
        }
        const lines = buffer.split('\r\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (/^DATA/i.test(line)) {
            inData = true;
            socket.write('354 go ahead\r\n');
          } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write('250 ok\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    const { port } = dropping.address() as AddressInfo;
    const uncertainMailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, { timeoutMs: 2_000 });
    const store = new InMemoryNoticeStore();
    try {
      const error = await failureOf(
        activities(store, { mailer: uncertainMailer }).sendNotice(lowBalanceInput()),
      );
      expect(received).toHaveLength(1);
      expect(isNonRetryable(error)).toBe(false);
      expect(error.message).toMatch(/did not confirm the message/);
      // The retry finds the claim still held, so the message that may have arrived is not sent again yet.
      const retry = await failureOf(activities(store).sendNotice(lowBalanceInput()));
      expect(retry.message).toMatch(/is being sent by another attempt/);
      expect(sink.received).toHaveLength(0);
    } finally {
      await new Promise((resolve) => dropping.close(resolve));
    }
  });

  it('fails retryably when no SMTP server listens', async () => {
    const closedSink = await startSmtpSink();
    await closedSink.close();
    const unreachable = createSmtpMailer(closedSink.url, { timeoutMs: 2_000 });
    const store = new InMemoryNoticeStore();

    const error = await failureOf(activities(store, { mailer: unreachable }).sendNotice(lowBalanceInput()));

    expect(isNonRetryable(error)).toBe(false);
    expect(store.sentCount()).toBe(0);
  });

  it('fails for good when the server rejects the recipient', async () => {
    const store = new InMemoryNoticeStore();
    sink.behaviour.rejectRecipient = { when: (address) => address === 'gone@example.org', responseCode: 550 };

    const error = await failureOf(activities(store).sendNotice(lowBalanceInput({ to: 'gone@example.org' })));

    expect(isNonRetryable(error)).toBe(true);
    expect((error as ApplicationFailure).type).toBe(NOTICE_FAILURE.recipientRejected);
    expect(store.sentCount()).toBe(0);
  });

  it('retries a recipient the server defers', async () => {
    sink.behaviour.rejectRecipient = { when: () => true, responseCode: 450 };
    const error = await failureOf(activities(new InMemoryNoticeStore()).sendNotice(lowBalanceInput()));
    expect(isNonRetryable(error)).toBe(false);
  });

  it.each([
    ['a bad address', lowBalanceInput({ to: 'not-an-address' }), NOTICE_FAILURE.invalidAddress],
    ['two addresses', lowBalanceInput({ to: 'a@example.org, b@example.org' }), NOTICE_FAILURE.invalidAddress],
    ['an unknown kind', lowBalanceInput({ kind: 'welcome' as NoticeKind }), NOTICE_FAILURE.unknownKind],
    [
      'a low-balance notice without threshold',
      lowBalanceInput({ data: { ...lowBalanceInput().data, thresholdBytes: null } }),
      NOTICE_FAILURE.invalidInput,
    ],
    [
      'bytes that are not a whole number',
      lowBalanceInput({ data: { ...lowBalanceInput().data, remainingBytes: '1.5e9' } }),
      NOTICE_FAILURE.invalidInput,
    ],
  ])('fails for good on %s, before claiming or sending anything', async (_case, input, type) => {
    const store = new InMemoryNoticeStore();
    const error = await failureOf(activities(store).sendNotice(input));
    expect(isNonRetryable(error)).toBe(true);
    expect((error as ApplicationFailure).type).toBe(type);
    expect(store.rows.size).toBe(0);
    expect(sink.received).toHaveLength(0);
  });

  it('after a crash between sending and recording, sends again only once the claim expires, with the same Message-ID', async () => {
    class CrashingStore extends InMemoryNoticeStore {
      crashes = 1;
      override async markSent(key: NoticeKey): Promise<void> {
        if (this.crashes > 0) {
          this.crashes -= 1;
          throw new Error('worker lost its database connection');
        }
        await super.markSent(key);
      }
    }
    const store = new CrashingStore();
    const { sendNotice } = activities(store, { claimLeaseMs: 300 });

    await expect(sendNotice(lowBalanceInput())).rejects.toThrow('worker lost its database connection');
    const whileClaimed = await failureOf(sendNotice(lowBalanceInput()));
    expect(isNonRetryable(whileClaimed)).toBe(false);
    expect(sink.received).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(sendNotice(lowBalanceInput())).resolves.toMatchObject({ status: 'sent' });
    await expect(sendNotice(lowBalanceInput())).resolves.toMatchObject({ status: 'already-sent' });

    expect(sink.received).toHaveLength(2);
    const [first, second] = sink.received.map((received) => received.mail.messageId);
    expect(first).toBeDefined();
    expect(second).toBe(first);
  });
});

describe('createMailActivities', () => {
  it.each([
    [{ clientAreaUrl: 'billing.example.net' }, /client area URL/],
    [{ from: 'Example Networks' }, /no domain/],
    [{ companyName: ' ' }, /company name/],
  ])('refuses a bad configuration at start-up: %j', (overrides, message) => {
    expect(() => activities(new InMemoryNoticeStore(), overrides)).toThrow(message);
  });
});
