import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildPanel } from '../../panel/build';
import { MODULE_STRINGS_FILE, moduleStrings } from '../../panel/module-strings';
import { PANEL_SCRIPT } from '../../panel/version';

/** The widget's budget from the issue: every file the browser loads, gzipped, at most 80 KB. */
const GZIPPED_BUDGET_BYTES = 80 * 1024;

describe('the client-area widget bundle', () => {
  let files: Map<string, Uint8Array>;

  beforeAll(async () => {
    files = await buildPanel();
  });

  it('is one script within 80 KB gzipped', () => {
    expect([...files.keys()]).toEqual([PANEL_SCRIPT]);
    const gzipped = [...files.values()].reduce(
      (total, file) => total + gzipSync(file, { level: 9 }).length,
      0,
    );
    expect(gzipped).toBeLessThanOrEqual(GZIPPED_BUDGET_BYTES);
  });

  // Asked of the script's text rather than matched against it, so a failure does not print 200 KB.
  const contains = (text: string) =>
    Buffer.from(files.get(PANEL_SCRIPT) ?? new Uint8Array())
      .toString('utf8')
      .includes(text);

  it('carries the panel strings of every language and none of the e-mails', () => {
    for (const text of [
      'Traffic statistics',
      'Statystyki transferu',
      'Datenverkehrsstatistik',
      'Статистика трафіку',
    ]) {
      expect({ text, found: contains(text) }).toEqual({ text, found: true });
    }
    expect(contains('Your VPN traffic is running low')).toBe(false);
  });

  it('leaves the Chart.js parts a bar chart does not need out', () => {
    // The ids of the controllers `chart.js/auto` would register.
    for (const unused of ['polarArea', 'radar', 'bubble', 'scatter']) {
      expect({ unused, found: contains(unused) }).toEqual({ unused, found: false });
    }
  });
});

describe("the WHMCS module's copy of the client-area strings", () => {
  it('is what `npm run whmcs:strings` writes from locales/', () => {
    expect(readFileSync(MODULE_STRINGS_FILE, 'utf8')).toBe(moduleStrings());
  });
});
