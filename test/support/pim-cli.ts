import { PassThrough } from 'node:stream';
import { runPimCli } from '../../ops/cli';

export interface PimRunOptions {
  readonly env: Record<string, string | undefined>;
  readonly stdin?: string;
  readonly isTTY?: boolean;
  readonly setRawMode?: (mode: boolean) => unknown;
}

export interface PimRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run pim -- <argv>`, in process, with the given standard input and environment. */
export async function runPim(argv: string[], { env, stdin = '', isTTY = false, setRawMode }: PimRunOptions) {
  const input = Object.assign(new PassThrough(), setRawMode ? { isTTY: true, setRawMode } : {});
  input.end(stdin);
  let stdout = '';
  let stderr = '';
  const code = await runPimCli(argv, {
    stdin: input,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY,
    env,
  });
  return { code, stdout, stderr } satisfies PimRun;
}
