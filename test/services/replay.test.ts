import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { encryptedDataConverter } from '../../infra/payload-codec';
import { HISTORIES_DIR } from '../helpers/histories';
import { testPayloadCodec } from '../helpers/stack';

/**
 * Recorded histories of real service workflows (RECORD_HISTORIES=1 npx jest test/services/lifecycle)
 * replayed against the current workflow code: a change that would break running services fails here.
 */
describe('replay of recorded workflow histories', () => {
  it('replays every recorded history without nondeterminism', async () => {
    const files = (await readdir(HISTORIES_DIR)).filter((file) => file.endsWith('.binpb')).sort();
    expect(files.length).toBeGreaterThanOrEqual(2);
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: file,
        history: temporal.api.history.v1.History.decode(await readFile(path.join(HISTORIES_DIR, file))),
      })),
    );
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
    expect(failures).toEqual([]);
  });
});
