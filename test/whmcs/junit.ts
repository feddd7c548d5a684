/** The parts of PHPUnit's JUnit report a Jest test needs: each test case and why it failed. */
export interface JunitCase {
  /** `Class::method`, with ` with data set "name"` for data-provider cases, as `--list-tests` prints it. */
  id: string;
  failure: string | null;
  skipped: boolean;
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };
const unescapeXml = (text: string) =>
  text.replace(/&(?:lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (entity, decimal, hex) =>
    decimal ? String.fromCodePoint(Number(decimal)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ENTITIES[entity],
  );

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeXml(match[1]) : undefined;
}

/** PHPUnit 9 writes one <testcase> per test, self-closing when it passed. */
export function parseJunit(xml: string): Map<string, JunitCase> {
  const cases = new Map<string, JunitCase>();
  const testcase = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(testcase)) {
    const [, attributes, , body = ''] = match;
    const className = attribute(attributes, 'class') ?? '';
    const name = attribute(attributes, 'name') ?? '';
    const problem = /<(failure|error)\b[^>]*>([\s\S]*?)<\/\1>/.exec(body);
    cases.set(`${className}::${name}`, {
      id: `${className}::${name}`,
      failure: problem ? unescapeXml(problem[2]) : null,
      skipped: /<skipped\b/.test(body),
    });
  }
  return cases;
}

/**
 * `phpunit --list-tests` prints ` - Class::method`, and a data set as `method"name"` or `method#0`,
 * which the JUnit report spells `method with data set "name"` or `method with data set #0`.
 */
export function parseTestList(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(' - '))
    .map((line) =>
      line
        .slice(3)
        .trim()
        .replace(/^(.*?::\w+)(?:"(.*)"|#(\d+))$/, (_all, test: string, name?: string, index?: string) =>
          name !== undefined ? `${test} with data set "${name}"` : `${test} with data set #${index}`,
        ),
    );
}
