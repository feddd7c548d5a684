import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { encryptedDataConverter } from '../../infra/payload-codec';
import { testPayloadCodec } from './stack';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

/**
 * With RECORD_HISTORIES=1, writes every run of the given workflows as a fixture for the replay test
 * (`<name>-<run>.binpb`, newest run first), so that a later change that would break running services
 * fails CI. Payloads stay encrypted with the test codec key. Delete the old fixtures before recording
 * anew: a file is only ever overwritten, never removed.
 */
export async function recordHistories(client: Client, name: string, workflowIds: string[]): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  await mkdir(HISTORIES_DIR, { recursive: true });
  for (const workflowId of workflowIds) {
    let run = 0;
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const history = await client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
      run += 1;
      // Binary protobuf: the SDK's JSON converter does not round-trip in this dependency tree.
      const bytes = temporal.api.history.v1.History.encode(history).finish();
      await writeFile(path.join(HISTORIES_DIR, `${name}-${run}.binpb`), bytes);
    }
  }
}

/** Replays histories against the shared workflow bundle; answers what did not replay, and why. */
export async function replayFailures(
  histories: Array<{ workflowId: string; history: temporal.api.history.v1.IHistory }>,
): Promise<string[]> {
  const results = Worker.runReplayHistories(
    {
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      dataConverter: encryptedDataConverter(testPayloadCodec),
      replayName: 'vpn-service-replay',
    },
    histories,
  );
  const failures: string[] = [];
  for await (const result of results) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return failures;
}
