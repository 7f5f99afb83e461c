import type { CliIo, CommandIo } from './io';

const MASK = '[redacted]';
/** Shorter values would mask ordinary words; no PIM secret is that short. */
const MIN_MASKED_LENGTH = 4;

/** Wraps the caller's I/O so that no secret read during this run reaches stdout or stderr, even inside an error. */
export function redactingIo(io: CliIo): CommandIo {
  const secrets = new Set<string>();
  const mask = (text: string) => {
    let masked = text;
    for (const secret of secrets) masked = masked.split(secret).join(MASK);
    return masked;
  };
  return {
    stdin: io.stdin,
    isTTY: io.isTTY,
    env: io.env,
    stdout: { write: (text: string) => io.stdout.write(mask(text)) },
    stderr: { write: (text: string) => io.stderr.write(mask(text)) },
    keepSecret: (secret) => {
      if (secret.length >= MIN_MASKED_LENGTH) secrets.add(secret);
    },
  };
}
