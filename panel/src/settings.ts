import { resolveLocale, type Locale } from '../../notices/locale';

export type PanelPage = 'overview' | 'statistics' | 'history';

/** What the module's template tells the widget, in data attributes of `[data-vpnflow-panel]`. */
export interface PanelSettings {
  page: PanelPage;
  apiUrl: string;
  serviceId: number;
  token: string;
  /** Unix milliseconds. */
  tokenExpiresAt: number;
  locale: Locale;
  refreshMs: number;
}

const PAGES: readonly PanelPage[] = ['overview', 'statistics', 'history'];
const MIN_REFRESH_SECONDS = 10;
const MAX_REFRESH_SECONDS = 300;

export function readSettings(root: HTMLElement): PanelSettings | undefined {
  const data = root.dataset;
  const page = PAGES.find((candidate) => candidate === data.page);
  const serviceId = Number(data.serviceId);
  const tokenExpiresAt = Date.parse(data.tokenExpiresAt ?? '');
  if (
    !page ||
    !data.apiUrl ||
    !data.token ||
    !Number.isSafeInteger(serviceId) ||
    Number.isNaN(tokenExpiresAt)
  ) {
    return undefined;
  }
  const refreshSeconds = Math.min(
    MAX_REFRESH_SECONDS,
    Math.max(MIN_REFRESH_SECONDS, Number(data.refreshSeconds) || MIN_REFRESH_SECONDS),
  );
  return {
    page,
    apiUrl: data.apiUrl.replace(/\/+$/, ''),
    serviceId,
    token: data.token,
    tokenExpiresAt,
    // The client's WHMCS language, mapped as the e-mails map it.
    locale: resolveLocale(data.language),
    refreshMs: refreshSeconds * 1000,
  };
}
