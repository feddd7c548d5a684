import type { SimulatedRouter } from '../../simulator';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { statusQuery } from '../../workflows/vpn-service/messages';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import type { ReceivedMail } from '../helpers/smtp-sink';
import { ACCOUNT_PASSWORD, meteredProduct, runMeteringPass } from './metering-fixtures';

/** Billing months of this many seconds: long enough for the first cycle's steps, short enough to see a second. */
const SECONDS_PER_MONTH = 50;
/** 100 MB/s down and 10 MB/s up, within the queue limit of 1000/100 Mbit/s: 0.11 GB per simulated second. */
const RATE = { downloadBytesPerSecond: 100_000_000, uploadBytesPerSecond: 10_000_000 };

describe('traffic notices, end to end to a real SMTP server', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;

  beforeAll(async () => {
    harness = await startHarness({ cycleClock: { secondsPerMonth: SECONDS_PER_MONTH } });
    ({ router, routerId } = await addSimulatedRouter(harness, { seed: 11 }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  it('tells the client in their language: low balance once per cycle, traffic gone, traffic back', async () => {
    const serviceId = uniqueId();
    const username = `notice${serviceId}`;
    const email = `klient${serviceId}@example.pl`;
    const created = await harness.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 777,
      clientEmail: email,
      clientLanguage: 'polish',
      routerId,
      username,
      password: ACCOUNT_PASSWORD,
      product: meteredProduct(10, { lowBalanceThresholdGb: 3, downloadMbps: 1000, uploadMbps: 100 }),
      billingCycle: 'Monthly',
    });
    expect(created.status).toBe(200);
    const firstCycleEndsAt = Date.parse(created.body.service.nextGrantAt);
    const connect = () => {
      router.connectSession(username, ACCOUNT_PASSWORD, { service: 'l2tp' });
      router.setTrafficRate(username, RATE);
    };
    const mailsTo = () => harness.mailSink.received.filter((received) => received.envelopeTo.includes(email));
    const subjects = () => mailsTo().map((received) => received.mail.subject);
    const meter = async (seconds: number) => {
      router.advance(seconds * 1000);
      return runMeteringPass(harness, [routerId]);
    };
    const statusOf = () =>
      harness.stack.client.workflow.getHandle(serviceWorkflowId(serviceId)).query(statusQuery);
    const bodiesOf = (mail: ReceivedMail) => [mail.mail.text as string, mail.mail.html as string];

    connect();
    await meter(0);
    expect((await meter(50)).signalled).toBe(0); // 4.5 GB left, above the 3 GB threshold

    expect((await meter(20)).signalled).toBe(1); // 2.3 GB left
    await eventually(async () =>
      expect(subjects()).toEqual([`Kończy się transfer na Twoim koncie VPN – ${username}`]),
    );
    const [lowBalance] = mailsTo();
    expect(lowBalance.mail.to).toMatchObject({ value: [{ address: email }] });
    for (const body of bodiesOf(lowBalance)) {
      expect(body).toContain('2,30 GB');
      expect(body).toContain('3,00 GB');
      expect(body).toContain(username);
      expect(body).toContain('.example.net');
    }

    // Still low a pass later: the workflow hears of it again and sends nothing new this cycle.
    expect((await meter(10)).signalled).toBe(1); // 1.2 GB left
    await statusOf();

    expect((await meter(20)).signalled).toBe(1); // -1.0 GB: exhausted
    await eventually(async () =>
      expect(subjects()).toEqual([
        `Kończy się transfer na Twoim koncie VPN – ${username}`,
        `Wyczerpano transfer na Twoim koncie VPN – ${username}`,
      ]),
    );
    expect(await statusOf()).toMatchObject({ status: 'suspended', suspensionReasons: ['traffic'] });

    const bought = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/traffic`, {
      invoiceId: `INV-${serviceId}`,
      gb: '5',
    });
    expect(bought.body).toMatchObject({ credited: true, service: { status: 'active' } });
    await eventually(async () => expect(subjects()).toHaveLength(3));
    const restored = mailsTo()[2];
    expect(restored.mail.subject).toBe(`Dostęp do VPN został przywrócony – ${username}`);
    for (const body of bodiesOf(restored)) expect(body).toContain('4,00 GB');

    connect();
    await meter(0);
    expect((await meter(10)).signalled).toBe(1); // 2.9 GB: low again, but the cycle's notice went out
    await statusOf();
    expect(Date.now()).toBeLessThan(firstCycleEndsAt);

    // The next cycle grants 10 GB (12.9 GB); using 11 GB of it makes the balance low in a new cycle.
    await eventually(
      async () => {
        expect((await statusOf())?.nextGrantAt).not.toBe(created.body.service.nextGrantAt);
      },
      { timeoutMs: (SECONDS_PER_MONTH + 15) * 1000 },
    );
    expect((await meter(100)).signalled).toBe(1); // 1.9 GB left
    await eventually(async () => expect(subjects()).toHaveLength(4));
    const secondLowBalance = mailsTo()[3];
    expect(secondLowBalance.mail.subject).toBe(`Kończy się transfer na Twoim koncie VPN – ${username}`);
    for (const body of bodiesOf(secondLowBalance)) expect(body).toContain('1,90 GB');

    const notices = await harness.stack
      .db('notifications')
      .where({ service_id: serviceId })
      .orderBy('id')
      .select('kind', 'cycle_key', 'sent_at', 'message_id');
    expect(notices.map((notice) => notice.kind)).toEqual([
      'low-balance',
      'traffic-exhausted',
      'traffic-restored',
      'low-balance',
    ]);
    expect(notices.every((notice) => notice.sent_at instanceof Date)).toBe(true);
    expect(notices[3].cycle_key).not.toBe(notices[0].cycle_key);
    expect(mailsTo().map((received) => received.mail.messageId)).toEqual(
      notices.map((notice) => notice.message_id),
    );
  }, 120_000);

  it('never writes to a client whose product has no traffic limit', async () => {
    const serviceId = uniqueId();
    const username = `free${serviceId}`;
    const email = `unlimited${serviceId}@example.net`;
    const created = await harness.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 778,
      clientEmail: email,
      routerId,
      username,
      password: ACCOUNT_PASSWORD,
      product: meteredProduct(0, { lowBalanceThresholdGb: 3, downloadMbps: 1000, uploadMbps: 100 }),
      billingCycle: 'Monthly',
    });
    expect(created.status).toBe(200);
    router.connectSession(username, ACCOUNT_PASSWORD, { service: 'l2tp' });
    router.setTrafficRate(username, RATE);
    await runMeteringPass(harness, [routerId]);
    router.advance(200_000);
    await runMeteringPass(harness, [routerId]);
    // Notices come only from the workflow, and only when a balance moved it: metering never told it.
    const { events } = await harness.stack.client.workflow
      .getHandle(serviceWorkflowId(serviceId))
      .fetchHistory();
    expect(events!.filter((event) => event.workflowExecutionSignaledEventAttributes)).toEqual([]);
    expect(harness.mailSink.received.filter((received) => received.envelopeTo.includes(email))).toEqual([]);
    expect(await harness.stack.db('notifications').where({ service_id: serviceId })).toEqual([]);
  }, 60_000);

  it('keeps applying router changes while a notice waits for the mail server to come back', async () => {
    const serviceId = uniqueId();
    const created = await harness.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 779,
      clientEmail: `waiting${serviceId}@example.net`,
      routerId,
      username: `wait${serviceId}`,
      password: ACCOUNT_PASSWORD,
      product: meteredProduct(10),
      billingCycle: 'Monthly',
    });
    expect(created.status).toBe(200);
    harness.mailSink.behaviour.failDataWith = 451;
    try {
      await harness.admin('POST', `/v1/admin/services/${serviceId}/suspend`, { reason: 'traffic' });
      // Lifting the traffic reason sends traffic-restored, which the mail server keeps refusing.
      const restored = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/traffic`, {
        invoiceId: `INV-${serviceId}`,
        gb: '1',
      });
      expect(restored.body.service.status).toBe('active');
      expect(restored.body.outcome).toBe('applied');
      // Past the cycle boundary the workflow would continue-as-new, but the notice is still pending.
      const boundary = Date.parse(created.body.service.nextGrantAt);
      await eventually(
        async () => {
          const { body } = await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`);
          expect(Date.parse(body.nextGrantAt)).toBeGreaterThan(boundary);
        },
        { timeoutMs: Math.max(0, boundary - Date.now()) + 15_000 },
      );
      const suspended = await harness.admin('POST', `/v1/admin/services/${serviceId}/suspend`, {
        reason: 'admin',
      });
      expect(suspended.body).toMatchObject({ outcome: 'applied', service: { status: 'suspended' } });
      expect(router.secrets().find((secret) => secret.name === `wait${serviceId}`)?.disabled).toBe('true');
    } finally {
      harness.mailSink.behaviour.failDataWith = undefined;
    }
  }, 120_000);
});
