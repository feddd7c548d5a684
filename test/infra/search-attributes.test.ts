import { ensureSearchAttributes } from '../../worker/search-attributes';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';
import type { Connection } from '@temporalio/client';

describe('search attributes', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack.close());

  it('registers every attribute, and a second registration is harmless', async () => {
    const connection = stack.client.connection as Connection;
    await ensureSearchAttributes(connection, 'default');
    await ensureSearchAttributes(connection, 'default');
    const listed = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const name of Object.keys(SEARCH_ATTRIBUTES)) {
      expect(listed.customAttributes).toHaveProperty([name]);
    }
  });
});
