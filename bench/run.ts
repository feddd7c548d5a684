import { main as cycleStormBenchmark } from './cycle-storm';
import { main as enforcementBenchmark } from './enforcement';
import { main as meteringBenchmark } from './metering';
import { main as provisionBenchmark } from './provision';
import { main as routerOsBenchmark } from './routeros';

/**
 * `npm run bench [routeros|metering|provision|cycle-storm|enforcement]`: every benchmark, or the named ones, one after another. Each
 * prints its own ratios, measured side by side in the same run.
 */
const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  routeros: () => routerOsBenchmark([]),
  metering: () => meteringBenchmark([]),
  provision: () => provisionBenchmark([]),
  enforcement: () => enforcementBenchmark([]),
  'cycle-storm': () => cycleStormBenchmark([]),
};

async function run(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}: choose from ${Object.keys(BENCHMARKS).join(', ')}`,
    );
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
    process.stdout.write(`\n=== bench/${name}\n`);
    await BENCHMARKS[name]();
  }
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
