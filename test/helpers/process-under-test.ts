import type { ChildProcess } from 'node:child_process';
import { startTsxProcess, stopProcess } from '../../scripts/processes';

/** How much of a process's output is kept: its tail is what says why it is not running. */
const OUTPUT_KEPT_CHARS = 8_000;

/** One of the project's entry points run as a process of its own, whose output tail explains a failure. */
export class ProcessUnderTest {
  child: ChildProcess | undefined;
  private output = '';

  constructor(
    private readonly entry: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    const child = startTsxProcess(this.entry, [], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.output = '';
    const keep = (chunk: Buffer) =>
      (this.output = (this.output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  failure(): string {
    return `${this.entry} is not running: ${this.output.trim().slice(-2_000)}`;
  }

  /** Until the process prints `line`; fails with its output when it exits first or time runs out. */
  async waitFor(line: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(line)) {
      if (!this.alive || Date.now() > deadline) throw new Error(this.failure());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!this.alive) throw new Error(this.failure());
  }

  /** SIGKILL: the process gets no chance to finish anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.child) await stopProcess(this.child);
  }
}
