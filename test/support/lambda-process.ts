import { type ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';

const PROJECT_ROOT = resolve(__dirname, '..', '..');
const CHILD = join(__dirname, 'lambda-child.ts');

/**
 * A Lambda function's handler in a child process (test/support/lambda-child.ts) with nothing but the environment
 * given: the function's own from the template, and where the stand-ins answer. Its log lines are kept.
 */
export class LambdaProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #logs: string[] = [];
  #stderr = '';
  #nextId = 1;

  /** `handler` is relative to the project: `functions/callback.ts`. */
  constructor(handler: string, env: Readonly<Record<string, string>>) {
    this.#child = fork(CHILD, [join(PROJECT_ROOT, handler)], {
      cwd: PROJECT_ROOT,
      env,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // Powertools writes info to standard output, warnings and errors to standard error.
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        if (stream === this.#child.stderr) this.#stderr = (this.#stderr + text).slice(-4000);
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        this.#logs.push(...lines.filter((line) => line.trim() !== ''));
      });
    }
    this.#child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(`The handler failed: ${message.error}`));
      else waiting?.resolve(message.result);
    });
    this.#child.on('error', (error) => {
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    });
    this.#child.on('exit', (code) => {
      for (const waiting of this.#pending.values()) {
        waiting.reject(new Error(`The function's process exited (${code}): ${this.#stderr}`));
      }
      this.#pending.clear();
    });
  }

  /** One event, with `remainingMs` as the time the invocation has left. */
  invoke<T>(event: unknown, remainingMs = 60_000): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, event, remainingMs });
    });
  }

  /** Its log lines so far (Powertools writes one JSON object per line). */
  get logs(): readonly string[] {
    return this.#logs;
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.kill();
    await exited;
  }
}
