import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { encryptedDataConverter } from './payload-codec';

/** A client whose payloads are encrypted with the codec, like every payload the worker writes. */
export async function connectClient(
  address: string,
  namespace: string,
  codec: PayloadCodec,
): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, dataConverter: encryptedDataConverter(codec) });
}

export function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}
