import { SUPPORTED_LOCALES } from '../../notices/locale';
import { NOTICE_KINDS } from '../../notices/notice-kinds';
import { InvalidNoticeDataError, renderNotice } from '../../notices/render-notice';
import { sampleNoticeData } from './notice-data';

const HOSTILE_NAME = '<script>alert(1)</script><img src=x onerror="alert(2)"> & {{companyName}}';

describe('renderNotice', () => {
  const everyKindAndLocale = NOTICE_KINDS.flatMap((kind) =>
    SUPPORTED_LOCALES.map((locale) => [kind, locale]),
  );

  it.each(everyKindAndLocale)('renders %s in %s with every placeholder filled', async (kind, locale) => {
    const notice = await renderNotice(kind as (typeof NOTICE_KINDS)[number], locale, sampleNoticeData());
    expect(notice.locale).toBe(locale);
    for (const part of [notice.subject, notice.html, notice.text]) {
      expect(part).not.toMatch(/\{\{|\{\w+\}/);
      expect(part).not.toMatch(/\.\./);
    }
    expect(notice.subject).toContain('anna.vpn');
    expect(notice.html).toContain(`<html lang="${locale}"`);
    expect(notice.html).toContain('href="https://billing.example.net/clientarea.php"');
    expect(notice.html).toContain('vpn-waw1.example.net');
    expect(notice.text).toContain('vpn-waw1.example.net');
    expect(notice.text).toContain('https://billing.example.net/clientarea.php');
    expect(notice.text).toContain('Example Networks');
    expect(notice.text).not.toMatch(/<[a-z]/i);
  });

  it('puts the amounts, threshold and cycle end of a low-balance notice in both parts', async () => {
    const notice = await renderNotice('low-balance', 'english', sampleNoticeData());
    expect(notice.subject).toBe('Your VPN traffic is running low – anna.vpn');
    for (const part of [notice.html, notice.text]) {
      expect(part).toContain('1,234.57 GB');
      expect(part).toContain('5.00 GB');
      expect(part).toContain('December 1, 2026');
      expect(part).toContain('Hello Anna Nowak,');
    }
    expect(notice.html).toContain('<strong>1,234.57 GB</strong>');
    expect(notice.text).toContain('Notification threshold:  5.00 GB\n');
  });

  it('escapes a hostile client name and never expands placeholders found inside values', async () => {
    const notice = await renderNotice(
      'traffic-exhausted',
      'en',
      sampleNoticeData({ clientName: HOSTILE_NAME }),
    );
    expect(notice.html).not.toMatch(/<script|<img|onerror="/i);
    expect(notice.html).toContain(
      'Hello &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; {{companyName}},',
    );
    expect(notice.text).toContain(`Hello ${HOSTILE_NAME},`);
  });

  it('keeps a multi-line name or username out of the subject line', async () => {
    const notice = await renderNotice(
      'traffic-restored',
      'en',
      sampleNoticeData({ serviceUsername: 'anna\r\nBcc: victim@example.com' }),
    );
    expect(notice.subject).toBe('Your VPN access has been restored – anna Bcc: victim@example.com');
  });

  it('greets without a name when the client has none', async () => {
    const notice = await renderNotice('low-balance', 'polish', sampleNoticeData({ clientName: '  ' }));
    expect(notice.text.split('\n\n')[1]).toBe('Dzień dobry,');
  });

  it('leaves out the renewal row and sentence when no cycle follows', async () => {
    const withCycle = await renderNotice('low-balance', 'de', sampleNoticeData());
    const withoutCycle = await renderNotice('low-balance', 'de', sampleNoticeData({ cycleEndsAt: null }));
    expect(withCycle.html).toContain('Datenvolumen wird erneuert am');
    expect(withCycle.text).toContain('Ihr Datenvolumen wird am 1. Dezember 2026 erneuert.');
    for (const part of [withoutCycle.html, withoutCycle.text]) {
      expect(part).not.toContain('erneuert');
      expect(part).not.toContain('Dezember');
    }
  });

  it('shows the rows each kind needs, in the HTML and the text part alike', async () => {
    const exhausted = await renderNotice('traffic-exhausted', 'en', sampleNoticeData());
    const restored = await renderNotice('traffic-restored', 'en', sampleNoticeData({ thresholdBytes: null }));
    for (const part of [exhausted.html, exhausted.text]) {
      expect(part).not.toContain('Traffic remaining');
      expect(part).not.toContain('Notification threshold');
      expect(part).toContain('Traffic renews on');
    }
    for (const part of [restored.html, restored.text]) {
      expect(part).toContain('Traffic remaining');
      expect(part).toContain('1,234.57 GB');
      expect(part).not.toContain('Notification threshold');
    }
  });

  it('refuses a low-balance notice without a threshold', async () => {
    await expect(
      renderNotice('low-balance', 'en', sampleNoticeData({ thresholdBytes: null })),
    ).rejects.toThrow(InvalidNoticeDataError);
  });

  it('refuses a client area link that is not http(s)', async () => {
    await expect(
      renderNotice('low-balance', 'en', sampleNoticeData({ clientAreaUrl: 'javascript:alert(1)' })),
    ).rejects.toThrow(InvalidNoticeDataError);
  });
});
