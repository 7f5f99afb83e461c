import { asAppError, PimNotRegisteredError } from '../functions/core/errors';
import { exitCodeOf, isCliErrorCode } from './errors';
import { EXIT_FAILED, type ExitCode } from './io';

export interface Failure {
  readonly message: string;
  readonly exitCode: ExitCode;
}

/** Turns anything thrown into one line that says what to do, and the exit code; the AWS SDK's errors get a hint. */
export function describeFailure(thrown: unknown): Failure {
  const error = asAppError(thrown);
  if (isCliErrorCode(error.code)) return { message: cliMessage(error), exitCode: exitCodeOf(error.code) };
  // Not the CLI's own failure: what was thrown says what happened.
  return { message: otherMessage(thrown), exitCode: EXIT_FAILED };
}

/** The CLI's wording where the runtime's message speaks to someone else. */
function cliMessage(error: Error): string {
  if (error instanceof PimNotRegisteredError) {
    return `${error.pimUrl} is not registered: check the URL with \`list\`, or register it with \`add\``;
  }
  return error.message;
}

function otherMessage(failure: unknown): string {
  const name = (failure as { name?: unknown } | undefined)?.name;
  const message = failure instanceof Error ? failure.message : String(failure);
  if (name === 'CredentialsProviderError') {
    return `No AWS credentials found (${message}): set AWS_PROFILE, or run aws sso login`;
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return `AWS refused the request (${message}): use a role allowed to manage the app's secrets`;
  }
  if (typeof name === 'string' && name !== 'Error') return `${name}: ${message}`;
  return message;
}
