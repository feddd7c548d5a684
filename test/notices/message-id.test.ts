import { noticeMessageId, senderDomain } from '../../notices/message-id';
import type { NoticeKey } from '../../store/notice-store';

const key: NoticeKey = { serviceId: 42, kind: 'low-balance', cycleKey: '2026-11-01T00:00:00.000Z' };

describe('noticeMessageId', () => {
  it('is the same for the same notice and a valid msg-id', () => {
    const id = noticeMessageId(key, 'example.net');
    expect(noticeMessageId({ ...key }, 'example.net')).toBe(id);
    expect(id).toMatch(/^<vpnflow\.low-balance\.42\.[0-9a-f]{32}@example\.net>$/);
  });

  it('differs between cycles, kinds and services', () => {
    const ids = new Set([
      noticeMessageId(key, 'example.net'),
      noticeMessageId({ ...key, cycleKey: '2026-12-01T00:00:00.000Z' }, 'example.net'),
      noticeMessageId({ ...key, kind: 'traffic-exhausted' }, 'example.net'),
      noticeMessageId({ ...key, serviceId: 43 }, 'example.net'),
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('senderDomain', () => {
  it.each([
    ['noreply@example.net', 'example.net'],
    ['"Example Networks" <noreply@mail.example.net>', 'mail.example.net'],
    ['Example <noreply@example.net> ', 'example.net'],
  ])('reads the domain of %j', (from, domain) => {
    expect(senderDomain(from)).toBe(domain);
  });

  it('refuses a sender without a domain', () => {
    expect(() => senderDomain('Example Networks')).toThrow(/no domain/);
  });
});
