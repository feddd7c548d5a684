import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { encryptedDataConverter } from '../../infra/payload-codec';
import type { SimulatedRouter } from '../../simulator';
import { addTrafficUpdate, balanceChangedSignal, statusQuery } from '../../workflows/vpn-service/messages';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import { testPayloadCodec } from '../helpers/stack';

/**
 * Whoever reaches Temporal without the payload key — say with the Temporal CLI — once credited 500 GB
 * with a plain-JSON update. The worker now refuses every payload it cannot decrypt.
 */
describe('commands sent to Temporal without encryption', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;
  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness, { cidr: '10.108.0.0/24' }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  it('refuses a plain update and a plain signal, credits nothing, and the service carries on', async () => {
    const serviceId = uniqueId();
    const created = await harness.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 3,
      clientEmail: 'victim@example.net',
      routerId,
      username: `plain${serviceId}`,
      password: 'plain-Passw0rd',
      product: { trafficGb: { monthly: 1 } },
      billingCycle: 'Monthly',
    });
    expect(created.status).toBe(200);
    const balanceBefore = (await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`)).body.balanceBytes;

    // Sends plain payloads, as the Temporal CLI does, but reads vpnflow's encrypted answers so the test
    // can see why it was refused (an attacker without the key sees only an undecodable failure).
    const plainSender = new Client({
      connection: harness.stack.client.connection,
      dataConverter: {
        ...encryptedDataConverter(testPayloadCodec),
        payloadCodecs: [
          { encode: async (payloads) => payloads, decode: (payloads) => testPayloadCodec.decode(payloads) },
        ],
      },
    });
    const handle = plainSender.workflow.getHandle(serviceWorkflowId(serviceId));
    const refused = await handle
      .executeUpdate(addTrafficUpdate, {
        args: [{ invoiceId: 'free', gb: '500', description: 'free traffic' }],
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('UnencryptedPayload');
    expect(cause.message).toContain('json/plain');
    await handle.signal(balanceChangedSignal, { balanceBytes: '0' });
    // Without the key, even a question the workflow answers gives nothing away: the answer is encrypted.
    const keyless = new Client({ connection: harness.stack.client.connection });
    await expect(keyless.workflow.getHandle(serviceWorkflowId(serviceId)).query(statusQuery)).rejects.toThrow(
      /encoding/i,
    );

    const after = await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`);
    expect(after.body).toMatchObject({ status: 'active', balanceBytes: balanceBefore });
    expect(await harness.stack.db('traffic_ledger').where({ service_id: serviceId, kind: 'addon' })).toEqual(
      [],
    );
    const suspended = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/suspend`, {
      reason: 'admin',
    });
    expect(suspended.status).toBe(200);
  });
});
