import type { Request } from 'express';
import { z } from 'zod';
import { HttpError } from '../../api/errors';
import { validateRequest } from '../../api/validation';

function requestWith(parts: Partial<Pick<Request, 'params' | 'query' | 'body'>>): Request {
  return { params: {}, query: {}, body: undefined, ...parts } as Request;
}

function problemOf(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

describe('validateRequest', () => {
  const schemas = {
    params: z.object({ id: z.coerce.number().int().positive() }),
    query: z.object({ limit: z.coerce.number().int().max(10).default(5) }),
    body: z.strictObject({ name: z.string().min(1), nested: z.object({ port: z.number() }).optional() }),
  };

  it('returns the parsed parts, with coercions and defaults applied', () => {
    const valid = validateRequest(requestWith({ params: { id: '7' }, body: { name: 'x' } }), schemas);
    expect(valid).toEqual({ params: { id: 7 }, query: { limit: 5 }, body: { name: 'x' } });
  });

  it('names each bad field of every part in one 400 invalid_request', () => {
    const error = problemOf(() =>
      validateRequest(
        requestWith({
          params: { id: '-1' },
          query: { limit: '50' },
          body: { name: '', nested: { port: 'x' }, extra: 1, other: 2 },
        }),
        schemas,
      ),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    const details = error.details as { field: string; message: string }[];
    expect(details.map((detail) => detail.field)).toEqual([
      'id',
      'limit',
      'name',
      'nested.port',
      'extra',
      'other',
    ]);
    expect(details.find((detail) => detail.field === 'extra')?.message).toBe('Unknown field');
    expect(error.message).toBe('Invalid request: id, limit, name, nested.port, extra, other');
  });

  it('names the part itself when it is missing or of the wrong type', () => {
    const error = problemOf(() =>
      validateRequest(requestWith({ params: { id: '1' }, body: 'text' }), schemas),
    );
    expect(error.details).toEqual([{ field: 'body', message: expect.stringContaining('expected object') }]);
  });

  it('leaves parts without a schema out of the result', () => {
    const valid = validateRequest(requestWith({ params: { id: '1' }, body: { anything: true } }), {
      params: schemas.params,
    });
    expect(valid).toEqual({ params: { id: 1 } });
  });
});
