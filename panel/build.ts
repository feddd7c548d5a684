import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { PANEL_DIST_DIR, PANEL_SCRIPT, PANEL_SOURCE } from './version';

/** The widget's files by name: one minified script, Chart.js tree-shaken into it. */
export async function buildPanel(): Promise<Map<string, Uint8Array>> {
  const result = await build({
    entryPoints: [PANEL_SOURCE],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    // UTF-8 rather than \u escapes: the Cyrillic catalogs are a third of the size. The API serves it as UTF-8.
    charset: 'utf8',
    // Chart.js's MIT notice travels with the code.
    legalComments: 'eof',
    write: false,
    outfile: path.join(PANEL_DIST_DIR, PANEL_SCRIPT),
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((file) => [path.basename(file.path), file.contents]));
}

/** Writes the widget's files into `directory`, replacing what was there. */
export async function writePanel(directory: string): Promise<string[]> {
  const files = await buildPanel();
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  for (const [name, contents] of files) await writeFile(path.join(directory, name), contents);
  return [...files.keys()];
}
