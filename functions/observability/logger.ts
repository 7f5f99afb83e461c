import { Logger } from '@aws-lambda-powertools/logger';

export const SERVICE_NAME = 'akeneo-custom-app';

/**
 * One Powertools Logger per function. Callers log PIM hosts, state hashes and error codes, never a token, a
 * secret, a code, a state or a URL that carries one; the tests check every log line of the run for them.
 */
export function createLogger(): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    logRecordOrder: ['timestamp', 'level', 'service', 'message'],
  });
}

/** A short reference shown on an error page and written in the matching log line. */
export function newErrorId(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(6)).toString('hex').toUpperCase();
}
