import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createDatabase, type Database } from '../../infra/database';
import { encryptedDataConverter, PayloadEncryptionCodec } from '../../infra/payload-codec';
import type { DevServer } from '../../scripts/temporal-cli';

/** The payload key every test worker and client shares, so tests read each other's payloads. */
export const TEST_PAYLOAD_CODEC_KEY = Buffer.alloc(32, 9).toString('base64');
export const testPayloadCodec = new PayloadEncryptionCodec([TEST_PAYLOAD_CODEC_KEY]);

/** History length at which the test server suggests continue-as-new (production: 4,096 events). */
export const HISTORY_SUGGEST_CONTINUE_AS_NEW = 120;

export interface TestStack {
  server: DevServer;
  databaseUrl: string;
  bundlePath: string;
}

/** Tests use the server's PostgreSQL with a database of their own; TEST_DATABASE_URL picks the server. */
export function testDatabaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  return url.toString();
}

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run tests through jest.config.js (its globalSetup sets it)`);
  return value;
}

let runtimeInstalled = false;

/** Connections to the shared dev server and database, closed together by `close()`. */
export async function connectTestStack() {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const address = required('TEMPORAL_ADDRESS');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const db: Database = createDatabase(required('DATABASE_URL'), 5);
  return {
    client: new Client({ connection, dataConverter: encryptedDataConverter(testPayloadCodec) }),
    nativeConnection,
    db,
    bundlePath: required('WORKFLOW_BUNDLE_PATH'),
    /** A task queue of the test's own, so no other test's worker picks up its tasks. */
    uniqueTaskQueue: (prefix = 'test') => `${prefix}-${randomUUID()}`,
    async close() {
      await Promise.all([connection.close(), nativeConnection.close(), db.destroy()]);
    },
  };
}

export type ConnectedTestStack = Awaited<ReturnType<typeof connectTestStack>>;
