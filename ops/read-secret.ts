import { EmptySecretError, UsageError } from './errors';
import type { CliIo } from './io';
import { warn } from './output';
import { promptLine, readAll } from './prompt';

export interface SecretSource {
  /** `--client-secret <value>`: works, but leaves the secret in the shell history and the process list. */
  readonly clientSecret?: string;
  /** `--client-secret-stdin`. */
  readonly clientSecretStdin?: boolean;
}

/**
 * The client secret from the flag, else a hidden prompt when a person is at the keyboard, else standard input.
 * Never echoed.
 */
export async function readClientSecret(source: SecretSource, io: CliIo): Promise<string> {
  if (source.clientSecret !== undefined && source.clientSecretStdin) {
    throw new UsageError('Give the client secret one way only: --client-secret-stdin or --client-secret');
  }
  let secret: string;
  if (source.clientSecret !== undefined) {
    warn(io, '--client-secret leaves the secret in your shell history: prefer --client-secret-stdin');
    secret = source.clientSecret;
  } else if (io.isTTY) {
    secret = await promptLine(io, 'Client secret (input hidden): ', { hidden: true });
  } else {
    secret = await readAll(io.stdin);
  }
  secret = secret.trim();
  if (secret === '') {
    throw new EmptySecretError(
      'The client secret is empty: pipe it in with --client-secret-stdin, or type it at the prompt',
    );
  }
  return secret;
}
