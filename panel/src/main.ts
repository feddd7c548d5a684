import { ClientApi, TokenRefused } from './client-api';
import { enableCopyButtons } from './copy-buttons';
import { setShown } from './dom';
import { showHistory } from './history-page';
import { startLiveCard } from './live-card';
import { readSettings } from './settings';
import { showStatistics } from './statistics-page';
import { PanelFormat } from './texts';

/**
 * vpnflow's client-area widget: the module's templates render the page; this fills in what changes
 * (the live card, the charts and tables) from vpnflow's client API with the page's client token.
 */
function boot(): void {
  const root = document.querySelector<HTMLElement>('[data-vpnflow-panel]');
  const settings = root && readSettings(root);
  if (!root || !settings) return;
  const format = new PanelFormat(settings.locale);
  const api = new ClientApi(settings.apiUrl, settings.serviceId, settings.token);
  enableCopyButtons(root, format);
  if (settings.page === 'overview') {
    startLiveCard(root, settings, api, format);
    return;
  }
  const show = settings.page === 'statistics' ? showStatistics : showHistory;
  show(root, api, format).catch((error: unknown) =>
    setShown(root, error instanceof TokenRefused ? 'expired' : 'unavailable', true),
  );
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
