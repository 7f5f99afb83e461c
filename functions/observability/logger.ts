import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from '../contract/names';

/**
 * One Powertools Logger per function, named by `POWERTOOLS_SERVICE_NAME` (the configuration's `serviceName`); the
 * Logger reads its level from `POWERTOOLS_LOG_LEVEL` itself. Callers log PIM hosts, state hashes and error codes, never a token, a
 * secret, a code, a state or a URL that carries one; the tests check every log line of the run for them.
 */
export function createLogger({ serviceName = SERVICE_NAME }: { readonly serviceName?: string } = {}): Logger {
  return new Logger({
    serviceName,
    logRecordOrder: ['timestamp', 'level', 'service', 'message'],
  });
}

/** A short reference shown on an error page and written in the matching log line. */
export function newErrorId(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(6)).toString('hex').toUpperCase();
}
