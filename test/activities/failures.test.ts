import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { classifyActivityError, withClassifiedFailures } from '../../activities/failures';
import { createServiceActivities } from '../../activities/service-activities';
import { RouterForeignItemError, RouterTimeoutError, RouterTrapError } from '../../routeros';
import { AddressPoolError } from '../../store/address-pool-store';
import { createLedgerStore } from '../../store/ledger-store';
import { insertRouter, insertService, testSecretBox } from '../helpers/fixtures';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

const failureOf = (error: unknown) => classifyActivityError(error) as ApplicationFailure;

/** One classification of activity errors: what retrying cannot fix is not retried. */
describe('activity failure classification', () => {
  it('gives router refusals, foreign items and empty pools their catalogue type, non-retryable', () => {
    expect(failureOf(new RouterForeignItemError('r1', 'a PPP secret named "alice" exists'))).toMatchObject({
      type: 'UsernameTakenOnRouter',
      nonRetryable: true,
    });
    expect(
      failureOf(new RouterTrapError('r1', '/ppp/secret/add', 'input does not match any value of profile', 1)),
    ).toMatchObject({
      type: 'Router.trap',
      nonRetryable: true,
    });
    expect(failureOf(new AddressPoolError('exhausted', 'no free address'))).toMatchObject({
      type: 'AddressPool.exhausted',
      nonRetryable: true,
    });
  });

  it('leaves transient failures to Temporal’s retries', () => {
    const timeout = new RouterTimeoutError('r1', 'no answer');
    expect(classifyActivityError(timeout)).toBe(timeout);
    const connectionLost = Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    expect(classifyActivityError(connectionLost)).toBe(connectionLost);
  });

  describe('against PostgreSQL', () => {
    let stack: ConnectedTestStack;
    beforeAll(async () => {
      stack = await connectTestStack();
    });
    afterAll(() => stack.close());

    it('fails a ledger write the database refuses at once, naming the refusal, instead of retrying for ever', async () => {
      const serviceId = await insertService(stack.db, await insertRouter(stack.db));
      const activities = withClassifiedFailures(
        createServiceActivities({
          services: { save: async () => undefined },
          ledger: createLedgerStore(stack.db),
          addresses: { allocate: async () => ({ addressId: 1, address: '10.0.0.1' }) },
          routerClients: { clientFor: async () => Promise.reject(new Error('no router in this test')) },
          secretBox: testSecretBox,
        }),
      );
      const environment = new MockActivityEnvironment();
      const tooLarge = await environment
        .run(activities.appendLedgerEntry, {
          serviceId,
          kind: 'addon' as const,
          deltaBytes: '99999999999999999999',
          idempotencyKey: `addon:${serviceId}:huge`,
          description: 'more than a bigint holds',
          invoiceRef: 'huge',
        })
        .catch((error: unknown) => error);
      expect(tooLarge).toBeInstanceOf(ApplicationFailure);
      expect(tooLarge).toMatchObject({ type: 'DataRejected', nonRetryable: true });
      expect((tooLarge as Error).message).toMatch(/out of range/);
      const withNul = await environment
        .run(activities.appendLedgerEntry, {
          serviceId,
          kind: 'addon' as const,
          deltaBytes: '1000',
          idempotencyKey: `addon:${serviceId}:nul`,
          description: 'a \u0000 in the text',
          invoiceRef: 'nul',
        })
        .catch((error: unknown) => error);
      expect(withNul).toMatchObject({ type: 'DataRejected', nonRetryable: true });
    });
  });
});
