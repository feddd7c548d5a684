import path from 'node:path';
import { startDevServer } from './temporal-cli';

/** `npm run temporal`: a local dev server whose state survives restarts, with the Web UI. */
async function main(): Promise<void> {
  const port = Number(process.env.TEMPORAL_PORT ?? 7233);
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
  const server = await startDevServer({
    port,
    uiPort,
    dbFile: path.resolve(__dirname, '..', '.data', 'temporal.db'),
    uiCodecEndpoint: process.env.TEMPORAL_UI_CODEC_ENDPOINT,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`Temporal ${server.address}, Web UI http://127.0.0.1:${uiPort}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.process.once('exit', (code) => process.exit(code ?? 1));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
