import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { HISTORIES_DIR, replayFailures } from '../helpers/histories';

/**
 * Recorded histories of real service workflows, one per command and a few runs that continued as new
 * (RECORD_HISTORIES=1 npx jest test/services/lifecycle test/services/cycles), replayed against the
 * current workflow code: a change that would break running services fails here. From the first release
 * on, the fixtures come from the released version (docs/workflow-versioning.md).
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
    const failures = await replayFailures(histories);
    expect(failures).toEqual([]);
  });
});
