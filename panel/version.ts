import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The widget's version in its URL (`/panel/<version>/vpnflow-panel.js`): the contract between the
 * WHMCS module's templates (their data attributes, ClientArea::PANEL_VERSION) and the widget. Raise it
 * when the templates must change with the widget.
 */
export const PANEL_VERSION = '1';

export const PANEL_SCRIPT = 'vpnflow-panel.js';

function projectRoot(from: string): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'package.json'))) return directory;
    if (directory === path.dirname(directory)) throw new Error(`no package.json above ${from}`);
  }
}

const PROJECT_ROOT = projectRoot(__dirname);

/** The widget's entry point; a production image has no sources and serves PANEL_DIST_DIR. */
export const PANEL_SOURCE = path.join(PROJECT_ROOT, 'panel', 'src', 'main.ts');

/**
 * Where `npm run build` writes the widget, inside dist/ so that an image built from dist/ has it; the
 * same place from the sources (tsx) and from the compiled code (dist/panel/version.js).
 */
export const PANEL_DIST_DIR = path.join(PROJECT_ROOT, 'dist', 'panel-widget');
