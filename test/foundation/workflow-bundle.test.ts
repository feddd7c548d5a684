import { readFile } from 'node:fs/promises';

/**
 * The worker evaluates the workflow bundle's modules again for every new workflow, so each library in
 * it costs CPU on every service created. Validation libraries belong in activities and the API.
 */
describe('the workflow bundle', () => {
  it('holds only Temporal’s own packages besides our workflows and domain code', async () => {
    const bundle = await readFile(process.env.WORKFLOW_BUNDLE_PATH!, 'utf8');
    const packages = new Set(
      [...bundle.matchAll(/"\.\/node_modules\/((?:@[^/"]+\/)?[^/"]+)\//g)].map((match) => match[1]),
    );
    expect(packages.size).toBeGreaterThan(0);
    const foreign = [...packages].filter(
      (name) => !name.startsWith('@temporalio/') && !['nexus-rpc', 'ms', 'long'].includes(name),
    );
    expect(foreign).toEqual([]);
    const sources = [...bundle.matchAll(/\/\*\*\*\/ "\.\/((?!node_modules)[^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(sources.every((source) => /^(workflows|domain)\//.test(source))).toBe(true);
  });
});
