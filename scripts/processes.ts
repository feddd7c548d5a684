import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Runs one of the project's TypeScript entry points (`worker/main.ts`, ...) as a Node child process. */
export function startTsxProcess(
  entry: string,
  args: string[] = [],
  options: { env?: Record<string, string>; stdio?: StdioOptions; nodeArgs?: string[] } = {},
): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry, ...args], {
    cwd: PROJECT_ROOT,
    stdio: options.stdio ?? 'inherit',
    env: { ...process.env, ...options.env },
  });
}

/** SIGTERM, so the child drains what it is doing; SIGKILL if it has not exited after ten seconds. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Polls a URL until it answers 2xx and returns its JSON body. */
export async function waitForJson<T>(
  url: string,
  timeoutMs: number,
  keepWaiting: () => boolean = () => true,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && keepWaiting()) {
    try {
      const response = await fetch(url);
      if (response.ok) return (await response.json()) as T;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
