import { CancelledError } from './errors';
import type { CliIo } from './io';

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACES = new Set(['\u007f', '\b']);

export interface PromptOptions {
  /** Keep the terminal from echoing what is typed (the secret prompt). */
  readonly hidden?: boolean;
}

/** Asks on stderr and reads one line from stdin; with `hidden`, the terminal shows nothing of what is typed. */
export async function promptLine(io: CliIo, question: string, { hidden = false }: PromptOptions = {}): Promise<string> {
  const { stdin } = io;
  const raw = hidden && stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  io.stderr.write(question);
  if (raw) stdin.setRawMode?.(true);
  try {
    return await readOneLine(stdin);
  } finally {
    if (raw) {
      stdin.setRawMode?.(false);
      io.stderr.write('\n');
    }
    stdin.pause();
  }
}

function readOneLine(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let line = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      outcome();
    };
    // In raw mode each key arrives as typed, so line editing (backspace, Ctrl+C) is ours to do.
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === CTRL_D) return finish(() => resolve(line));
        if (char === CTRL_C) return finish(() => reject(new CancelledError('Cancelled: nothing was changed')));
        line = BACKSPACES.has(char) ? line.slice(0, -1) : line + char;
      }
    };
    const onEnd = () => finish(() => resolve(line));
    const onError = (error: Error) => finish(() => reject(error));
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  });
}

/** Everything on stdin until it ends (a pipe or a redirected file). */
export async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
