import { drawUsageChart } from './charts';
import type { TrafficCredit } from './api-types';
import type { ClientApi } from './client-api';
import { element, table } from './dom';
import { fill, type PanelFormat } from './texts';
import { dailyBars, usageRows } from './usage-rows';

const MONTHS_SHOWN = 12;
const CREDITS_READ = 1000;

/** How a credit reads for the client: vpnflow's cycle grants in their language, others as written. */
export function creditDescription(format: PanelFormat, credit: TrafficCredit): string {
  return credit.kind === 'cycle_grant' ? format.texts.history.cycleGrant : credit.description;
}

function usageTable(format: PanelFormat, rows: ReturnType<typeof usageRows>): HTMLElement {
  const texts = format.texts.statistics;
  if (rows.length === 0) return element('p', { class: 'vpnflow-empty' }, [texts.noUsage]);
  return table(
    texts.table,
    [texts.date, texts.balance, texts.download, texts.upload],
    rows.map((row) =>
      row.kind === 'day'
        ? {
            kind: 'day',
            cells: [
              format.day(row.day),
              format.gb(row.balanceBytes),
              format.gb(row.downloadBytes),
              format.gb(row.uploadBytes),
            ],
          }
        : {
            kind: 'credit',
            cells: [
              format.dateTime(row.at),
              format.gb(row.balanceBytes),
              fill(texts.credit, {
                amount: format.signedGb(row.credit.addedBytes),
                description: creditDescription(format, row.credit),
              }),
              '',
            ],
          },
    ),
  );
}

/**
 * The statistics page: the daily chart and usage table for the chosen period (7, 30, 90 or 365 days;
 * the tabs are links, so the page also works by reloading), and the monthly chart.
 */
export async function showStatistics(root: HTMLElement, api: ClientApi, format: PanelFormat): Promise<void> {
  const dailyCanvas = root.querySelector<HTMLCanvasElement>('canvas[data-chart="daily"]');
  const monthlyCanvas = root.querySelector<HTMLCanvasElement>('canvas[data-chart="monthly"]');
  const tableHolder = root.querySelector<HTMLElement>('[data-usage-table]');
  const tabs = [...root.querySelectorAll<HTMLAnchorElement>('a[data-period]')];
  if (!dailyCanvas || !monthlyCanvas || !tableHolder) return;

  const credits = api.history(CREDITS_READ);
  const showPeriod = async (days: number) => {
    for (const tab of tabs) {
      const current = Number(tab.dataset.period) === days;
      tab.classList.toggle('active', current);
      if (current) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    tableHolder.setAttribute('aria-busy', 'true');
    const [daily, creditsRead] = await Promise.all([api.daily(days), credits]);
    const bars = dailyBars(daily);
    drawUsageChart(dailyCanvas, format, {
      labels: bars.map((bar) => format.shortDay(bar.day)),
      downloadGb: bars.map((bar) => format.gbValue(bar.downloadBytes)),
      uploadGb: bars.map((bar) => format.gbValue(bar.uploadBytes)),
    });
    tableHolder.replaceChildren(usageTable(format, usageRows(daily, creditsRead.entries)));
    tableHolder.setAttribute('aria-busy', 'false');
  };

  for (const tab of tabs) {
    tab.addEventListener('click', (event) => {
      event.preventDefault();
      window.history.replaceState(null, '', tab.href);
      void showPeriod(Number(tab.dataset.period));
    });
  }

  const monthly = await api.monthly(MONTHS_SHOWN);
  const months = [...monthly.months].reverse();
  drawUsageChart(monthlyCanvas, format, {
    labels: months.map((month) => format.month(month.month)),
    downloadGb: months.map((month) => format.gbValue(month.downloadBytes)),
    uploadGb: months.map((month) => format.gbValue(month.uploadBytes)),
  });
  await showPeriod(Number(root.dataset.days) || 30);
}
