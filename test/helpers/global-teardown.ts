import { rm } from 'node:fs/promises';
import { dropDatabase } from '../../infra/database';
import type { TestStack } from './stack';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { vpnflowTestStack?: TestStack }).vpnflowTestStack;
  if (!stack) return;
  await Promise.all([
    stack.server.stop(),
    dropDatabase(stack.databaseUrl),
    rm(stack.bundlePath, { force: true }),
  ]);
}
