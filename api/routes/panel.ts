import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import { PANEL_DIST_DIR, PANEL_SOURCE, PANEL_VERSION } from '../../panel/version';
import { HttpError } from '../errors';

/** The mounts a browser on the WHMCS client area reaches: the widget and the client API. */
const BROWSER_PATHS = ['/panel/', '/v1/client/'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

interface PanelAsset {
  body: Buffer;
  etag: string;
}

export interface PanelRouteDeps {
  /** CLIENT_PANEL_ORIGINS: the WHMCS sites whose pages may call the client API and load the widget. */
  allowedOrigins: readonly string[];
}

/**
 * The widget's files. Development and tests build them from the sources, so they are never stale; a
 * production image has no sources and serves what `npm run build` wrote.
 */
export async function loadPanelAssets(
  sourceFile = PANEL_SOURCE,
  distDir = PANEL_DIST_DIR,
): Promise<Map<string, Uint8Array>> {
  if (existsSync(sourceFile)) return (await import('../../panel/build')).buildPanel();
  const names = await readdir(distDir);
  return new Map(
    await Promise.all(names.map(async (name) => [name, await readFile(path.join(distDir, name))] as const)),
  );
}

function asset(contents: Uint8Array): PanelAsset {
  const body = Buffer.from(contents);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * CORS for the allow-listed WHMCS origins on the browser paths only, GET only, never `*`. The headers
 * are set before the client token is checked, so the widget can read a 401 (an expired token) too.
 */
function browserCors(allowedOrigins: ReadonlySet<string>): RequestHandler {
  return (request, response, next) => {
    if (!BROWSER_PATHS.some((prefix) => request.path.startsWith(prefix))) {
      next();
      return;
    }
    response.vary('Origin');
    const origin = request.headers.origin;
    const allowed = origin !== undefined && allowedOrigins.has(origin);
    if (allowed) response.set('Access-Control-Allow-Origin', origin);
    if (request.method !== 'OPTIONS') {
      next();
      return;
    }
    if (allowed && request.headers['access-control-request-method'] === 'GET') {
      response.set({
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': 'Authorization',
        'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
      });
    }
    // A preflight without the Allow headers tells the browser no.
    response.status(204).end();
  };
}

/**
 * `GET /panel/<version>/<file>`: the client-area widget, with an ETag so a page view costs a 304, and
 * CORS on the paths browsers call.
 */
export function panelRoutes(deps: PanelRouteDeps): Router {
  const router = Router();
  router.use(browserCors(new Set(deps.allowedOrigins)));
  let assets: Promise<Map<string, PanelAsset>> | undefined;
  const loadAssets = () => {
    assets ??= loadPanelAssets().then(
      (files) => new Map([...files].map(([name, contents]) => [name, asset(contents)])),
      (error: unknown) => {
        // Tried again on the next request rather than failing for the life of the process.
        assets = undefined;
        throw error;
      },
    );
    return assets;
  };
  router.get('/panel/:version/:file', async (request, response) => {
    const found = request.params.version === PANEL_VERSION && (await loadAssets()).get(request.params.file);
    if (!found) throw new HttpError(404, 'not_found', 'No such panel file');
    response.set({
      // The widget is one script (panel/build.ts).
      'Content-Type': 'text/javascript; charset=utf-8',
      ETag: found.etag,
      // Revalidated on every page view: a new release reaches clients at once, an unchanged one as a 304.
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    if (request.fresh) {
      response.status(304).end();
      return;
    }
    response.send(found.body);
  });
  return router;
}
