import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Page, Request } from 'playwright-core';
import { createApp } from '../../api/app';
import { listen } from '../../api/http-server';
import { PanelFormat } from '../../panel/src/texts';
import { freePort } from '../../scripts/free-port';
import type { SimulatedRouter } from '../../simulator';
import { createLedgerStore } from '../../store/ledger-store';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { statusQuery } from '../../workflows/vpn-service/messages';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, TEST_WHMCS_SECRET, testApiDeps, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import { runMeteringPass } from '../metering/metering-fixtures';
import { startBrowser } from './client-area/browser';
import { startWhmcsShell, type WhmcsShell } from './client-area/whmcs-shell';

/**
 * The client area and the admin tab in Debian's Chromium: the WHMCS page shell (php -S) renders the
 * module's templates from its real functions, and the widget calls the real API on another origin
 * (CORS), with the real worker, Temporal and a simulated router behind it. Each test asserts on the
 * page and writes a screenshot to test-output/screenshots.
 */

const GB = 1_000_000_000;
const OVPN_PROFILE = 'client\ndev tun\nproto udp\nremote vpn.example.net 1194\n<ca>\nMIIBexample\n</ca>\n';
const REFRESH_SECONDS = 10;
const HOSTILE = '<img src=x onerror=alert(1)>';
const EVERY_PROTOCOL = {
  2: 'any',
  4: '10',
  5: '2',
  6: '50',
  15: 'https://docs.example.net/vpn-setup',
  16: 'on',
  17: '<p>Use <b class="trusted-html">PPTP</b> only where nothing else connects.</p>',
  18: 'on',
  19: 'psk-Secret-42',
  20: '<p>Enter the pre-shared key above in your device’s VPN settings.</p>',
  21: 'on',
  22: '<p>Import the profile into OpenVPN Connect.</p>',
  23: 'on',
  24: '<p>Windows connects to SSTP without extra software.</p>',
};

jest.setTimeout(120_000);

describe('the WHMCS client area in a browser', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;
  let api: Server;
  let apiUrl: string;
  let shell: WhmcsShell;
  let browser: Awaited<ReturnType<typeof startBrowser>>;
  let serverId: number;
  let page: Page;
  let pageErrors: Error[];

  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness, {
      identity: 'client-area',
      cidr: '10.120.0.0/24',
    }));
    const shellPort = await freePort();
    // The API the pages call, on an origin of its own: the browser must be let in by CORS.
    api = await listen(
      createApp(
        testApiDeps(harness.stack, harness.taskQueue, {
          routerConnections: harness.routerConnections,
          clientPanelOrigins: [`http://127.0.0.1:${shellPort}`],
        }),
      ),
      0,
      '127.0.0.1',
    );
    apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
    shell = await startWhmcsShell({ port: shellPort, apiUrl, secret: TEST_WHMCS_SECRET, smartyVersion: 4 });
    ({ serverId } = await shell.setup<{ serverId: number }>({ command: 'server', routerId }));
    browser = await startBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    shell?.close();
    api?.close();
    api?.closeAllConnections();
    await harness?.close();
    await router?.stop();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error));
  });
  afterEach(async () => {
    await page.close();
    // No script error on any page, the widget's included.
    expect(pageErrors).toEqual([]);
  });

  interface Service {
    serviceId: number;
    clientId: number;
    productId: number;
    username: string;
    password: string;
    address: string;
  }

  const product = (options: {
    slots?: Record<number, string>;
    forbidden?: string[];
    ovpnProfile?: string;
    name?: string;
  }) =>
    shell.setup<{ productId: number }>({
      command: 'product',
      name: options.name ?? 'VPN Standard',
      slots: options.slots ?? EVERY_PROTOCOL,
      forbidden: options.forbidden ?? [],
      refreshSeconds: REFRESH_SECONDS,
      ovpnProfile: options.ovpnProfile ?? OVPN_PROFILE,
    });

  /** A client with the product, created through the module's CreateAccount and active. */
  const service = async (
    options: { productId?: number; language?: string; serverId?: number } = {},
  ): Promise<Service> => {
    const productId = options.productId ?? (await product({})).productId;
    const { clientId } = await shell.setup<{ clientId: number }>({
      command: 'client',
      language: options.language ?? 'english',
    });
    const created = await shell.setup<Omit<Service, 'clientId' | 'productId'>>({
      command: 'service',
      serviceId: uniqueId(),
      productId,
      serverId: options.serverId ?? serverId,
      clientId,
    });
    return { ...created, clientId, productId };
  };

  const clientPage = (target: Service, page = '') =>
    `/clientarea.php?action=productdetails&id=${target.serviceId}${page ? `&modop=custom&a=${page}` : ''}`;

  const openAs = async (target: Service, path: string, language = '') => {
    const next = encodeURIComponent(path);
    const response = await page.goto(
      `${shell.url}/login.php?client=${target.clientId}&language=${language}&next=${next}`,
    );
    expect(response?.status()).toBe(200);
  };

  const text = (selector: string) => page.locator(selector).first().innerText();

  const clientToken = async (serviceId: number) =>
    (await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/client-token`)).body.token as string;

  it('shows the overview with every field while offline; the profile downloads as the product has it', async () => {
    const target = await service();
    const { addonId } = await shell.setup<{ addonId: number }>({
      command: 'addon',
      name: 'Traffic 100 GB',
      gb: '100',
      productIds: [target.productId],
      prices: { monthly: 3.76 },
    });
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shell.url });
    await openAs(target, clientPage(target));

    await expect(text('h3.card-title')).resolves.toBe('Your VPN account');
    await expect(page.locator('a:has-text("Setup instructions")').getAttribute('href')).resolves.toBe(
      'https://docs.example.net/vpn-setup',
    );
    await expect(text('[data-live="status"]')).resolves.toBe('Active');
    await expect(text('#vpnflow-server')).resolves.toMatch(/^vpn-\d+\.example\.net$/);
    await expect(text('#vpnflow-username')).resolves.toBe(target.username);
    // Hidden until revealed, copied with its button.
    await expect(page.locator('#vpnflow-password').isVisible()).resolves.toBe(false);
    await page.locator('details:has(#vpnflow-password) summary').click();
    await expect(text('#vpnflow-password')).resolves.toBe(target.password);
    await page.locator('button[data-copy="vpnflow-password"]').click();
    await expect(
      page.locator('html').evaluate((html) => html.ownerDocument.defaultView?.navigator.clipboard.readText()),
    ).resolves.toBe(target.password);
    await page.locator('details:has(#vpnflow-psk) summary').click();
    await expect(text('#vpnflow-psk')).resolves.toBe('psk-Secret-42');

    await expect(page.locator('.vpnflow-protocol h4').allInnerTexts()).resolves.toEqual([
      'PPTP',
      'L2TP/IPsec',
      'OpenVPN',
      'SSTP',
    ]);
    // The product's custom HTML is HTML.
    await expect(text('[data-protocol="pptp"] b.trusted-html')).resolves.toBe('PPTP');
    await expect(text('[data-protocol="sstp"] .vpnflow-custom-html')).resolves.toBe(
      'Windows connects to SSTP without extra software.',
    );

    await expect(text('[data-live="state"]')).resolves.toBe('OFFLINE');
    await expect(page.locator('[data-live="session-table"]').isVisible()).resolves.toBe(false);
    await expect(text('[data-live="as-of"]')).resolves.toMatch(/^as of \d{1,2}:\d{2}:\d{2}/);
    await expect(page.locator('dl.row dt, dl.row dd').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([
        'Traffic balance',
        '50 GB',
        'Download speed',
        '10 Mbit/s',
        'Upload speed',
        '2 Mbit/s',
      ]),
    );
    await expect(text('[data-addon]')).resolves.toMatch(
      /^Traffic 100 GB — \$3\.76 USD one time\s+Order now$/,
    );
    await expect(page.locator('[data-addon] a').getAttribute('href')).resolves.toBe(
      `cart.php?a=add&aid=${addonId}&productid=${target.serviceId}`,
    );
    await expect(page.locator('button[data-live="reset"]').isEnabled()).resolves.toBe(true);
    await expect(page.locator('[data-live="limited"]').isVisible()).resolves.toBe(false);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a:has-text("Download profile")').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${target.username}.ovpn`);
    expect(readFileSync((await download.path()) ?? '', 'utf8')).toBe(OVPN_PROFILE);
    await browser.screenshot(page, 'overview-offline');

    // A phone: nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    await expect(page.locator('html').evaluate((html) => html.scrollWidth)).resolves.toBeLessThanOrEqual(375);
    await browser.screenshot(page, 'overview-375px');
  });

  it('turns the card ONLINE without a reload when the client connects', async () => {
    const target = await service();
    await shell.setup({
      command: 'addon',
      name: 'Traffic 100 GB',
      gb: '100',
      productIds: [target.productId],
      prices: { monthly: 3.76 },
    });
    await openAs(target, clientPage(target));
    await expect(text('[data-live="state"]')).resolves.toBe('OFFLINE');
    await page.locator('body').evaluate((body) => body.setAttribute('data-same-page', ''));

    router.connectSession(target.username, target.password, { service: 'l2tp', callerId: '203.0.113.7' });
    // Read from the router on the next refresh (10 s) once its 5 s cache has expired.
    await page.locator('[data-live="state"]:text-is("ONLINE")').waitFor({ timeout: 30_000 });
    await expect(page.locator('body').evaluate((body) => body.hasAttribute('data-same-page'))).resolves.toBe(
      true,
    );
    await expect(page.locator('[data-live="sessions"] td').allInnerTexts()).resolves.toEqual([
      'l2tp',
      '203.0.113.7',
      target.address,
      expect.stringMatching(/^0 d 00:00:\d{2}$/),
    ]);
    await expect(page.locator('[data-live="card"]').getAttribute('class')).resolves.toContain(
      'vpnflow-online',
    );
    await browser.screenshot(page, 'overview-online');
  });

  it('shows the traffic-exhausted banner and dims Reset connection', async () => {
    // 1 MB a month, used up within a minute.
    const { productId } = await product({ slots: { ...EVERY_PROTOCOL, 6: '0.001' } });
    const target = await service({ productId });
    router.connectSession(target.username, target.password, { service: 'l2tp' });
    router.setTrafficRate(target.username, { uploadBytesPerSecond: 10_000, downloadBytesPerSecond: 100_000 });
    await runMeteringPass(harness, [routerId]);
    router.advance(60_000);
    await runMeteringPass(harness, [routerId]);
    await eventually(async () => {
      const status = await harness.stack.client.workflow
        .getHandle(serviceWorkflowId(target.serviceId))
        .query(statusQuery);
      expect(status).toMatchObject({ status: 'suspended', suspensionReasons: ['traffic'] });
    });

    await openAs(target, clientPage(target));
    await expect(page.locator('[data-live="limited"]').isVisible()).resolves.toBe(true);
    await expect(text('[data-live="limited"]')).resolves.toMatch(/^Your traffic has run out/);
    await expect(text('[data-live="status"]')).resolves.toBe('Suspended (traffic used up)');
    const reset = page.locator('button[data-live="reset"]');
    await expect(reset.isDisabled()).resolves.toBe(true);
    await expect(
      reset.evaluate((button) => button.ownerDocument.defaultView?.getComputedStyle(button).opacity),
    ).resolves.not.toBe('1');
    await browser.screenshot(page, 'traffic-exhausted');
  });

  it('lists only vpnflow traffic for the product with WHMCS prices; the paid invoice shows in the history', async () => {
    const target = await service();
    const other = await product({ name: 'VPN Other' });
    const setupAddon = (options: Record<string, unknown>) =>
      shell.setup<{ addonId: number }>({
        command: 'addon',
        productIds: [target.productId],
        gb: '1',
        ...options,
      });
    const { addonId } = await setupAddon({
      name: 'Traffic 100 GB',
      gb: '100',
      description: 'Added to your balance once',
      prices: { monthly: 3.76 },
    });
    await setupAddon({
      name: 'Traffic 20 GB every month',
      billingCycle: 'recurring',
      prices: { monthly: 1, annually: 10 },
    });
    await setupAddon({ name: 'Daily backups', module: '', prices: { monthly: 2 } });
    await setupAddon({
      name: 'Traffic for another product',
      productIds: [other.productId],
      prices: { monthly: 1 },
    });

    await openAs(target, clientPage(target, 'buyTraffic'));
    await expect(page.locator('[data-addon] h3').allInnerTexts()).resolves.toEqual([
      'Traffic 100 GB',
      'Traffic 20 GB every month',
    ]);
    await expect(page.locator('[data-addon] [data-price]').allInnerTexts()).resolves.toEqual([
      '$3.76 USD one time',
      '$1.00 USD monthly, $10.00 USD annually',
    ]);
    await browser.screenshot(page, 'buy-traffic');

    await page.locator(`[data-addon="${addonId}"] a:has-text("Order now")`).click();
    await expect(text('[data-cart="addon"]')).resolves.toBe('Traffic 100 GB');
    await page.locator('button:has-text("Checkout")').click();
    await expect(text('[data-invoice-status]')).resolves.toBe('Unpaid');
    const invoiceId = new URL(page.url()).searchParams.get('id');
    await page.locator('button:has-text("Pay now")').click();
    await expect(text('[data-invoice-status]')).resolves.toBe('Paid');
    await page.locator('a:has-text("Back to the service")').click();

    const credit = page.locator(`[data-history-table] tr:has(a[href="viewinvoice.php?id=${invoiceId}"])`);
    await credit.waitFor();
    await expect(credit.locator('td').allInnerTexts()).resolves.toEqual([
      expect.any(String),
      '+100 GB',
      '50 GB',
      '150 GB',
      'Addon: Traffic 100 GB',
      `#${invoiceId}`,
    ]);
    await expect(page.locator('[data-history-table] tbody tr').count()).resolves.toBe(2);
    await browser.screenshot(page, 'traffic-history');
  });

  it('draws both charts, changes the period, and lists the days and credits the API gives', async () => {
    const target = await service();
    const ledger = createLedgerStore(harness.stack.db);
    const dayOf = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    // History as metering would have written it over 35 days, the cycle's grant at its start.
    await harness.stack
      .db('traffic_ledger')
      .where({ service_id: target.serviceId, kind: 'cycle_grant' })
      .update({ at: `${dayOf(35)}T00:00:00Z` });
    for (let daysAgo = 34; daysAgo >= 0; daysAgo -= 1) {
      if (daysAgo === 12) {
        const bought = await harness.whmcs('POST', `/v1/whmcs/services/${target.serviceId}/traffic`, {
          invoiceId: '4711',
          invoiceItemId: '1',
          gb: '25',
          description: 'Traffic 25 GB',
        });
        expect(bought.status).toBe(200);
        await harness.stack
          .db('traffic_ledger')
          .where({ service_id: target.serviceId, kind: 'addon' })
          .update({ at: `${dayOf(12)}T09:30:00Z` });
      }
      if (daysAgo % 6 === 5) continue;
      const download = BigInt(Math.round((0.6 + (daysAgo % 5) * 0.45) * GB));
      const upload = download / 9n;
      await harness.stack.db('daily_usage').insert({
        service_id: target.serviceId,
        day: dayOf(daysAgo),
        download_bytes: download,
        upload_bytes: upload,
      });
      await ledger.append({
        serviceId: target.serviceId,
        kind: 'usage',
        deltaBytes: -(download + upload),
        idempotencyKey: `usage:${target.serviceId}:${dayOf(daysAgo)}`,
        description: 'Usage',
        invoiceRef: null,
      });
      await harness.stack
        .db('traffic_ledger')
        .where({ idempotency_key: `usage:${target.serviceId}:${dayOf(daysAgo)}` })
        .update({ at: `${dayOf(daysAgo)}T23:00:00Z` });
    }

    const dailyRequests: string[] = [];
    page.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/usage/daily')) dailyRequests.push(url.search);
    });
    await openAs(target, clientPage(target, 'statistics'));
    const rows = page.locator('[data-usage-table] tbody tr');
    await rows.first().waitFor();
    expect(dailyRequests).toEqual(['?days=30']);
    for (const chart of ['daily', 'monthly']) {
      // Chart.js sizes the canvas it draws on.
      await expect(
        page.locator(`canvas[data-chart="${chart}"]`).evaluate((canvas) => ({
          display: canvas.style.display,
          boxSizing: canvas.style.boxSizing,
          drawn: canvas.clientWidth > 0 && canvas.clientHeight > 0,
        })),
      ).resolves.toEqual({ display: 'block', boxSizing: 'border-box', drawn: true });
    }

    const token = await clientToken(target.serviceId);
    const format = new PanelFormat('en');
    const expectedDays = async (days: number) => {
      const answer = await fetch(
        `${apiUrl}/v1/client/services/${target.serviceId}/usage/daily?days=${days}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      const body = (await answer.json()) as {
        days: { day: string; balanceBytes: string; downloadBytes: string; uploadBytes: string }[];
      };
      return body.days.map((day) => [
        format.day(day.day),
        format.gb(day.balanceBytes),
        format.gb(day.downloadBytes),
        format.gb(day.uploadBytes),
      ]);
    };
    const shownDays = () =>
      page
        .locator('[data-usage-table] tbody tr[data-row="day"]')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    await expect(shownDays()).resolves.toEqual(await expectedDays(30));
    await expect(
      page.locator('[data-usage-table] tr[data-row="credit"] td').nth(2).innerText(),
    ).resolves.toBe('Traffic added: +25 GB, Traffic 25 GB');
    await browser.screenshot(page, 'statistics');
    await page.setViewportSize({ width: 375, height: 800 });
    // Chart.js redraws for the new width on its next frame.
    await eventually(async () =>
      expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375),
    );
    await browser.screenshot(page, 'statistics-375px');
    await page.setViewportSize({ width: 1200, height: 900 });

    await page.locator('a[data-period="7"]').click();
    await eventually(() => expect(dailyRequests).toEqual(['?days=30', '?days=7']));
    await eventually(async () => expect(await shownDays()).toEqual(await expectedDays(7)));
    await expect(page.locator('a[data-period="7"]').getAttribute('aria-current')).resolves.toBe('page');
    expect(new URL(page.url()).searchParams.get('days')).toBe('7');
    await expect(page.locator('[data-usage-table] tr[data-row="credit"]').count()).resolves.toBe(0);
    await browser.screenshot(page, 'statistics-7-days');
  });

  it.each([
    [
      'english',
      'Your VPN account',
      '1.5 GB',
      'Traffic statistics',
      'Traffic added: +1.5 GB, Traffic for the billing cycle',
    ],
    [
      'polish',
      'Twoje konto VPN',
      '1,5 GB',
      'Statystyki transferu',
      'Dodany transfer: +1,5 GB, Transfer na okres rozliczeniowy',
    ],
    [
      'german',
      'Ihr VPN-Konto',
      '1,5 GB',
      'Datenverkehrsstatistik',
      'Datenvolumen hinzugefügt: +1,5 GB, Datenvolumen für den Abrechnungszeitraum',
    ],
    [
      'russian',
      'Ваша учётная запись VPN',
      '1,5 ГБ',
      'Статистика трафика',
      'Начислен трафик: +1,5 ГБ, Трафик на расчётный период',
    ],
    [
      'ukranian',
      'Ваш обліковий запис VPN',
      '1,5 ГБ',
      'Статистика трафіку',
      'Нараховано трафік: +1,5 ГБ, Трафік на розрахунковий період',
    ],
    [
      'spanish',
      'Su cuenta VPN',
      '1,5 GB',
      'Estadísticas de tráfico',
      'Tráfico añadido: +1,5 GB, Tráfico del ciclo de facturación',
    ],
  ])('speaks %s with its own number format', async (language, title, balance, statistics, grant) => {
    const { productId } = await product({ slots: { ...EVERY_PROTOCOL, 6: '1.5' } });
    const target = await service({ productId, language });
    await openAs(target, clientPage(target));
    await expect(text('h3.card-title')).resolves.toBe(title);
    await expect(text('[data-live="balance"]')).resolves.toBe(balance);
    await expect(page.locator('html').innerText()).resolves.not.toMatch(/\{\w+\}|\bpanel\./);
    await browser.screenshot(page, `overview-${language}`);

    await page.locator('[data-menu="vpnflow-statistics"]').click();
    await expect(text('h2')).resolves.toBe(statistics);
    // The widget's own strings and numbers, in the same language: this cycle's grant in the table.
    await expect(text('[data-usage-table] tr[data-row="credit"] td:nth-child(3)')).resolves.toBe(grant);
    await browser.screenshot(page, `statistics-${language}`);
  });

  it('dims what the product forbids and answers Access denied at its address', async () => {
    const { productId } = await product({
      forbidden: ['statistics', 'history', 'buyTraffic', 'resetConnection', 'showPassword'],
    });
    const target = await service({ productId });
    await openAs(target, clientPage(target));
    for (const entry of ['statistics', 'history', 'buyTraffic']) {
      const item = page.locator(`[data-menu="vpnflow-${entry}"]`);
      await expect(item.getAttribute('aria-disabled')).resolves.toBe('true');
      await expect(item.getAttribute('href')).resolves.toBeNull();
    }
    await expect(page.locator('[data-menu="vpnflow-overview"]').getAttribute('href')).resolves.toBe(
      clientPage(target),
    );
    await expect(page.locator('button[data-live="reset"]').isDisabled()).resolves.toBe(true);
    await expect(text('[data-forbidden="showPassword"]')).resolves.toContain('Hidden by your provider');
    await expect(page.locator('#vpnflow-password').count()).resolves.toBe(0);
    await expect(page.locator('[data-forbidden="buyTraffic"] button').isDisabled()).resolves.toBe(true);
    await browser.screenshot(page, 'forbidden-overview');

    for (const forbidden of ['statistics', 'history', 'buyTraffic']) {
      await page.goto(`${shell.url}${clientPage(target, forbidden)}`);
      await expect(text('.alert-danger h2')).resolves.toBe('Access denied');
    }
    await browser.screenshot(page, 'access-denied');
  });

  it('ends the session on the router when the client resets the connection', async () => {
    const target = await service();
    router.connectSession(target.username, target.password, { service: 'sstp' });
    await openAs(target, clientPage(target));
    await page.locator('button[data-live="reset"]').click();
    await expect(text('.alert-success')).resolves.toBe('Action completed successfully');
    await eventually(() =>
      expect(router.activeSessions().map((session) => session.name)).not.toContain(target.username),
    );
    await browser.screenshot(page, 'reset-connection');
  });

  it('still shows the login details with "live data unavailable" when vpnflow does not answer', async () => {
    const down = await shell.setup<{ serverId: number }>({ command: 'server', routerId });
    const target = await service({ serverId: down.serverId });
    await shell.setup({ command: 'serverPort', serverId: down.serverId, port: await freePort() });
    await openAs(target, clientPage(target));
    await expect(text('[data-live="unavailable"] strong')).resolves.toBe('Live data unavailable');
    await expect(text('#vpnflow-username')).resolves.toBe(target.username);
    await page.locator('details:has(#vpnflow-password) summary').click();
    await expect(text('#vpnflow-password')).resolves.toBe(target.password);
    await expect(page.locator('.vpnflow-protocol h4').count()).resolves.toBe(4);
    await expect(text('[data-live="state"]')).resolves.toBe('Live data unavailable');
    await expect(page.locator('script[src*="/panel/"]').count()).resolves.toBe(0);
    await browser.screenshot(page, 'vpnflow-unavailable');
  });

  /** The overview with the page's timers on Playwright's clock, and the `/live` requests it makes. */
  const overviewOnFakeClock = async (target: Service): Promise<string[]> => {
    const liveRequests: string[] = [];
    page.on('request', (request: Request) => {
      if (request.url().endsWith('/live')) liveRequests.push(request.url());
    });
    await page.clock.install();
    await openAs(target, clientPage(target));
    return liveRequests;
  };

  it('asks nothing while the tab is hidden and refreshes at once when it is shown again', async () => {
    const liveRequests = await overviewOnFakeClock(await service());
    const setHidden = (hidden: boolean) =>
      page.evaluate(
        `Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} });` +
          "document.dispatchEvent(new Event('visibilitychange'));",
      );
    await setHidden(true);
    await page.clock.runFor(6 * REFRESH_SECONDS * 1000);
    expect(liveRequests).toHaveLength(0);

    const answered = page.waitForResponse((response) => response.url().endsWith('/live'));
    await setHidden(false);
    expect((await answered).status()).toBe(200);
    expect(liveRequests).toHaveLength(1);
  });

  it('stops polling once the client token has expired', async () => {
    const liveRequests = await overviewOnFakeClock(await service());
    await page.waitForLoadState('networkidle');
    expect(liveRequests).toHaveLength(0);
    const answered = page.waitForResponse((response) => response.url().endsWith('/live'));
    await page.clock.runFor(REFRESH_SECONDS * 1000);
    expect((await answered).status()).toBe(200);
    expect(liveRequests).toHaveLength(1);

    // The token lives an hour.
    await page.clock.fastForward('01:00:00');
    await page.locator('[data-live="expired"]').waitFor();
    await page.clock.runFor(5 * REFRESH_SECONDS * 1000);
    expect(liveRequests).toHaveLength(1);
    await expect(text('[data-live="expired"]')).resolves.toMatch(/^This page has been open for a long time/);
    await browser.screenshot(page, 'token-expired');
  });

  it('shows staff the service tab with a hostile comment as text', async () => {
    const { productId } = await product({ slots: { ...EVERY_PROTOCOL, 3: HOSTILE } });
    const target = await service({ productId });
    const bought = await harness.whmcs('POST', `/v1/whmcs/services/${target.serviceId}/traffic`, {
      invoiceId: '812',
      invoiceItemId: '1',
      gb: '10',
      description: `${HOSTILE} 10 GB`,
    });
    expect(bought.status).toBe(200);
    router.connectSession(target.username, target.password, { service: 'l2tp', callerId: '198.51.100.23' });
    const { adminId } = await shell.setup<{ adminId: number }>({ command: 'admin' });
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.goto(
      `${shell.url}/admin/login.php?admin=${adminId}&next=${encodeURIComponent(`/admin/clientsservices.php?id=${target.serviceId}`)}`,
    );
    const tab = page.locator('[data-admin-tab]');
    const row = (label: string) =>
      tab.locator(`xpath=.//td[@class="fieldlabel" and text()="${label}"]/following-sibling::td`);
    // vpnflow reads a router's sessions at most every 5 s for all pages.
    await eventually(async () => {
      await page.reload();
      expect(await row('Connection').innerText()).toContain('198.51.100.23');
    });
    await expect(tab.locator('td.fieldlabel').allInnerTexts()).resolves.toEqual([
      'vpnflow API',
      'Router',
      'VPN account',
      'Connection',
      'Traffic',
      'Traffic added',
      'Workflow',
    ]);
    await expect(
      tab.locator('xpath=.//th[text()="Comment prefix"]/following-sibling::td').innerText(),
    ).resolves.toBe(HOSTILE);
    await expect(row('Traffic added').innerText()).resolves.toContain(`${HOSTILE} 10 GB`);
    await expect(tab.locator('img').count()).resolves.toBe(0);
    await expect(tab.locator('a:has-text("#812")').getAttribute('href')).resolves.toBe(
      'invoices.php?action=edit&id=812',
    );
    await expect(tab.locator('a[target="_blank"]').innerText()).resolves.toBe(
      `vpn-service-${target.serviceId}`,
    );
    expect(dialogs).toBe(0);
    await browser.screenshot(page, 'admin-tab');
  });
});
