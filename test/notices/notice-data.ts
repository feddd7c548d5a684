import type { NoticeData } from '../../notices/render-notice';

/** A service with 1 234.57 GB left of a 5 GB threshold, whose cycle ends on 1 December 2026. */
export function sampleNoticeData(overrides: Partial<NoticeData> = {}): NoticeData {
  return {
    clientName: 'Anna Nowak',
    serviceUsername: 'anna.vpn',
    serverHostname: 'vpn-waw1.example.net',
    remainingBytes: 1_234_567_890_123n,
    thresholdBytes: 5_000_000_000n,
    cycleEndsAt: new Date('2026-12-01T00:00:00Z'),
    companyName: 'Example Networks',
    clientAreaUrl: 'https://billing.example.net/clientarea.php',
    ...overrides,
  };
}
