/** What the CLI reads and writes: the real process in `bin/pim.ts`, streams in the tests. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** A person is at the keyboard: prompts (hidden secret, confirmation) are offered only then. */
  readonly isTTY: boolean;
  /** The CLI's own settings (DATA_DIR, AWS_REGION, …). The AWS SDK still reads its own from `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The I/O the commands get: output that can never show a secret the CLI has read. */
export interface CommandIo extends CliIo {
  /** Every later write to stdout or stderr has this value masked, whatever message carries it. */
  readonly keepSecret: (secret: string) => void;
}

export const EXIT_OK = 0;
/** The operation failed: unknown PIM, duplicate, AWS or DynamoDB error. */
export const EXIT_FAILED = 1;
/** Bad usage or input: fix the command line. */
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILED | typeof EXIT_USAGE;
