import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * domain/ is imported by workflow code, which Temporal replays and must therefore be deterministic:
 * nothing here may read the clock, draw random numbers or reach Node.
 */
const domainDir = join(__dirname, '..', '..', 'domain');
const sources = readdirSync(domainDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(domainDir, name), 'utf8') }));

describe('domain/', () => {
  it('has sources to check', () => {
    expect(sources.map((source) => source.name)).toEqual(
      expect.arrayContaining(['billing-cycles.ts', 'usage.ts']),
    );
  });

  it('imports only zod and other domain files', () => {
    const imports = sources.flatMap(({ name, text }) =>
      [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map(
        (match) => `${name}: ${match[1]}`,
      ),
    );
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((entry) => !/: (zod|\.\/[a-z-]+)$/.test(entry))).toEqual([]);
  });

  it('never reads the clock or draws random numbers', () => {
    const forbidden =
      /Date\.now\(|new Date\(\)|Math\.random\(|performance\.|process\.|setTimeout\(|setInterval\(/;
    expect(sources.filter(({ text }) => forbidden.test(text)).map(({ name }) => name)).toEqual([]);
  });
});
