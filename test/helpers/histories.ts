import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

/**
 * With RECORD_HISTORIES=1, writes every run of the given workflows as a fixture for the replay test,
 * so that a later change that would break running services fails CI. Payloads stay encrypted with
 * the test codec key.
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
