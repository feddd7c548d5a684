import type { DailyUsage, TrafficCredit } from './api-types';

export type UsageRow =
  | { kind: 'day'; day: string; balanceBytes: string; downloadBytes: string; uploadBytes: string }
  | { kind: 'credit'; at: string; balanceBytes: string; credit: TrafficCredit };

/** Where a row sorts: a day's figures are its balance at the end of the day, after that day's credits. */
function sortKey(row: UsageRow): string {
  return row.kind === 'day' ? `${row.day}T24` : row.at;
}

/**
 * The usage table's rows, newest first: each day with traffic and, interleaved where they happened,
 * the credits of the same period (cycle grants, paid traffic, adjustments).
 */
export function usageRows(daily: DailyUsage, credits: readonly TrafficCredit[]): UsageRow[] {
  const rows: UsageRow[] = [
    ...daily.days.map((day) => ({ kind: 'day' as const, ...day })),
    ...credits
      .filter((credit) => credit.date.slice(0, 10) >= daily.from)
      .map((credit) => ({
        kind: 'credit' as const,
        at: credit.date,
        balanceBytes: credit.balanceAfterBytes,
        credit,
      })),
  ];
  return rows.sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
}

/** Every day of the period, oldest first, with zero where the API left a day without traffic out. */
export function dailyBars(daily: DailyUsage): { day: string; downloadBytes: string; uploadBytes: string }[] {
  const byDay = new Map(daily.days.map((day) => [day.day, day]));
  const bars = [];
  for (let date = new Date(`${daily.from}T00:00:00Z`); date.toISOString().slice(0, 10) <= daily.to;) {
    const day = date.toISOString().slice(0, 10);
    const usage = byDay.get(day);
    bars.push({ day, downloadBytes: usage?.downloadBytes ?? '0', uploadBytes: usage?.uploadBytes ?? '0' });
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return bars;
}
