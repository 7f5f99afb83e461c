import type { CliIo } from './io';

/** The CLI's I/O in a real process: the terminal, or the pipes a shell gives it. */
export function processIo(process: NodeJS.Process): CliIo {
  return {
    stdin: process.stdin,
    stdout: quietWhenClosed(process.stdout),
    stderr: quietWhenClosed(process.stderr),
    isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    env: process.env,
  };
}

/**
 * A reader that went away (`npm run pim -- --help | head -1`) is not a failure: what the CLI still had to print goes
 * nowhere, and the command ends with its own exit code instead of an EPIPE stack trace.
 */
function quietWhenClosed(stream: NodeJS.WriteStream): CliIo['stdout'] {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return { write: (text: string) => !closed && stream.write(text) };
}
