import { writeFile } from 'node:fs/promises';
import { writePanel } from './build';
import { MODULE_STRINGS_FILE, moduleStrings } from './module-strings';
import { PANEL_DIST_DIR } from './version';

const USAGE = 'usage: tsx panel/cli.ts dist | whmcs-strings';

async function main(command: string | undefined): Promise<void> {
  if (command === 'dist') {
    const names = await writePanel(PANEL_DIST_DIR);
    process.stdout.write(`wrote ${names.join(', ')} to ${PANEL_DIST_DIR}\n`);
  } else if (command === 'whmcs-strings') {
    await writeFile(MODULE_STRINGS_FILE, moduleStrings());
    process.stdout.write(`wrote ${MODULE_STRINGS_FILE}\n`);
  } else {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`panel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
