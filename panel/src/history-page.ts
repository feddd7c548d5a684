import type { ClientApi } from './client-api';
import { element, table } from './dom';
import { creditDescription } from './statistics-page';
import { fill, type PanelFormat } from './texts';

const ENTRIES_SHOWN = 1000;

/** The traffic-added history: every credit with the balance before and after, its invoice linked. */
export async function showHistory(root: HTMLElement, api: ClientApi, format: PanelFormat): Promise<void> {
  const holder = root.querySelector<HTMLElement>('[data-history-table]');
  if (!holder) return;
  const texts = format.texts.history;
  const { entries } = await api.history(ENTRIES_SHOWN);
  // WHMCS's own invoice page for the client; vpnflow records the WHMCS invoice id of paid traffic.
  const invoiceUrl = holder.dataset.invoiceUrl ?? '';
  holder.replaceChildren(
    entries.length === 0
      ? element('p', { class: 'vpnflow-empty' }, [texts.none])
      : table(
          texts.title,
          [texts.date, texts.added, texts.before, texts.after, texts.description, texts.invoice],
          entries.map((credit) => ({
            kind: 'credit',
            cells: [
              format.dateTime(credit.date),
              format.signedGb(credit.addedBytes),
              format.gb(credit.balanceBeforeBytes),
              format.gb(credit.balanceAfterBytes),
              creditDescription(format, credit),
              credit.invoice === null
                ? ''
                : /^\d+$/.test(credit.invoice)
                  ? element('a', { href: `${invoiceUrl}${credit.invoice}` }, [
                      fill(texts.invoiceNumber, { number: credit.invoice }),
                    ])
                  : credit.invoice,
            ],
          })),
        ),
  );
}
