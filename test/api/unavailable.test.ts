import { ServiceError } from '@temporalio/client';
import { grpcCodeOf, unavailableAnswer } from '../../api/unavailable';

/** What the API answers when Temporal or PostgreSQL does not: 503 to retry, never a 500. */
describe('unavailable dependencies', () => {
  const grpcError = (code: number) => Object.assign(new Error(`${code} status`), { code });

  it('finds the gRPC status on the error or on the cause a ServiceError wraps', () => {
    expect(grpcCodeOf(grpcError(4))).toBe(4);
    expect(grpcCodeOf(new ServiceError('Failed to query Workflow', { cause: grpcError(4) }))).toBe(4);
    expect(grpcCodeOf(new Error('plain'))).toBeUndefined();
  });

  it('answers a query or update that timed out, and an unreachable Temporal, as temporal_unavailable', () => {
    for (const error of [
      new ServiceError('Failed to query Workflow', { cause: grpcError(4) }),
      grpcError(14),
    ]) {
      expect(unavailableAnswer(error)).toMatchObject({ code: 'temporal_unavailable' });
    }
  });

  it('answers a refused connection, a shutting-down server and a pool timeout as database_unavailable', () => {
    const pgError = (code: string) => Object.assign(new Error(code), { code });
    const poolTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection'), {
      name: 'KnexTimeoutError',
    });
    for (const error of [pgError('ECONNREFUSED'), pgError('57P01'), pgError('53300'), poolTimeout]) {
      expect(unavailableAnswer(error)).toMatchObject({ code: 'database_unavailable' });
    }
  });

  it('leaves every other failure alone: a bug stays a 500', () => {
    for (const error of [
      new TypeError('undefined is not a function'),
      grpcError(3),
      Object.assign(new Error('unique violation'), { code: '23505' }),
      undefined,
    ]) {
      expect(unavailableAnswer(error)).toBeUndefined();
    }
  });
});
