import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { PanelFormat } from './texts';

// Only what a grouped bar chart needs, so the rest of Chart.js stays out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const DOWNLOAD_COLOUR = '#1f77b4';
const UPLOAD_COLOUR = '#ff7f0e';

export interface UsageBars {
  labels: string[];
  downloadGb: number[];
  uploadGb: number[];
}

/** A download/upload bar chart in GB on the canvas; drawing again replaces the previous chart. */
export function drawUsageChart(
  canvas: HTMLCanvasElement,
  format: PanelFormat,
  bars: UsageBars,
): Chart<'bar'> {
  Chart.getChart(canvas)?.destroy();
  const texts = format.texts.statistics;
  const number = new Intl.NumberFormat(format.locale, { maximumFractionDigits: 2 });
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: bars.labels,
      datasets: [
        { label: texts.download, data: bars.downloadGb, backgroundColor: DOWNLOAD_COLOUR },
        { label: texts.upload, data: bars.uploadGb, backgroundColor: UPLOAD_COLOUR },
      ],
    },
    options: {
      locale: format.locale,
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { callback: (value) => number.format(Number(value)) } } },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label ?? ''}: ${format.gb(String(Math.round((item.parsed.y ?? 0) * 1e9)))}`,
          },
        },
      },
    },
  });
}
