import type { LiveStatus } from './api-types';
import { TokenRefused, type ClientApi } from './client-api';
import { element, parts, setShown, setText } from './dom';
import { startPolling } from './poller';
import type { PanelSettings } from './settings';
import { fill, type PanelFormat } from './texts';

/** The service's status in the client's words: "Suspended (traffic used up)". */
export function statusText(format: PanelFormat, status: string, reasons: readonly string[]): string {
  const texts = format.texts.status;
  const names: Readonly<Record<string, string>> = {
    provisioning: texts.provisioning,
    active: texts.active,
    suspended: texts.suspended,
    terminated: texts.terminated,
  };
  const reasonNames: Readonly<Record<string, string>> = {
    admin: texts.reasonAdmin,
    billing: texts.reasonBilling,
    traffic: texts.reasonTraffic,
  };
  const because = reasons.map((reason) => reasonNames[reason] ?? reason);
  const name = names[status] ?? status;
  return because.length === 0 ? name : `${name} (${because.join(', ')})`;
}

function render(root: HTMLElement, format: PanelFormat, live: LiveStatus): void {
  const texts = format.texts.connection;
  for (const card of parts(root, 'card')) {
    card.classList.toggle('vpnflow-online', live.online);
    card.classList.toggle('vpnflow-offline', !live.online);
  }
  for (const state of parts(root, 'state')) {
    state.textContent = live.online ? texts.online : texts.offline;
    state.classList.toggle('badge-success', live.online);
    state.classList.toggle('badge-secondary', !live.online);
  }
  setShown(root, 'session-table', live.online);
  for (const body of parts(root, 'sessions')) {
    body.replaceChildren(
      ...live.sessions.map((session) =>
        element('tr', {}, [
          element('td', {}, [session.protocol ?? '']),
          element('td', {}, [session.callerId ?? '']),
          element('td', {}, [session.address ?? '']),
          element('td', {}, [session.uptimeSeconds === null ? '' : format.uptime(session.uptimeSeconds)]),
        ]),
      ),
    );
  }
  const asOf = live.asOf === null ? '' : format.time(live.asOf);
  setText(root, 'as-of', fill(live.source === 'router' ? texts.asOf : texts.asOfMetering, { time: asOf }));
  setText(root, 'status', statusText(format, live.status, live.suspensionReasons));
  setText(root, 'balance', format.gb(live.balanceBytes));
  setShown(root, 'limited', live.limitedByTraffic);
  for (const button of parts(root, 'reset')) {
    if (button instanceof HTMLButtonElement && button.dataset.allowed === 'true') {
      button.disabled = live.status !== 'active';
    }
  }
}

/** The connection card on the overview: refreshed every N seconds from `/live`. */
export function startLiveCard(
  root: HTMLElement,
  settings: PanelSettings,
  api: ClientApi,
  format: PanelFormat,
): void {
  startPolling({
    intervalMs: settings.refreshMs,
    expiresAt: settings.tokenExpiresAt,
    refresh: async () => {
      try {
        render(root, format, await api.live());
        setShown(root, 'unavailable', false);
        return 'continue';
      } catch (error) {
        if (error instanceof TokenRefused) return 'stop';
        setShown(root, 'unavailable', true);
        return 'continue';
      }
    },
    stopped: () => setShown(root, 'expired', true),
  });
}
