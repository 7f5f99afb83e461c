import { AppError, type ErrorCode, type OpsErrorCode } from '../functions/core/errors';
import { EXIT_FAILED, EXIT_USAGE, type ExitCode } from './io';

/*
 * The CLI's own failures. Each takes its code from the app's one list (functions/core/errors.ts); the exit code
 * follows from the code. Messages fit one line, say what to do, and never carry a secret.
 */

export class UsageError extends AppError {
  readonly code = 'usage';
}
export class EmptySecretError extends AppError {
  readonly code = 'empty_secret';
}
export class ConfirmationRequiredError extends AppError {
  readonly code = 'confirmation_required';
}
export class CancelledError extends AppError {
  readonly code = 'cancelled';
}
export class PimAlreadyRegisteredError extends AppError {
  readonly code = 'pim_already_registered';
  constructor(readonly pimUrl: string) {
    super(`${pimUrl} is already registered: use \`rotate\` to replace its credentials`);
  }
}
/** A dependency (Secrets Manager, DynamoDB, CloudFormation) could not do what was asked. */
export class OperationFailedError extends AppError {
  readonly code = 'operation_failed';
}

/** Every code the CLI ends with on purpose, and its exit code: 2 when the command line must change, else 1. */
const EXIT_CODES: Record<OpsErrorCode | 'invalid_pim_url' | 'pim_not_registered', ExitCode> = {
  usage: EXIT_USAGE,
  invalid_pim_url: EXIT_USAGE,
  empty_secret: EXIT_USAGE,
  confirmation_required: EXIT_USAGE,
  cancelled: EXIT_FAILED,
  pim_already_registered: EXIT_FAILED,
  pim_not_registered: EXIT_FAILED,
  operation_failed: EXIT_FAILED,
};

export type CliErrorCode = keyof typeof EXIT_CODES;

export function isCliErrorCode(code: ErrorCode): code is CliErrorCode {
  return Object.hasOwn(EXIT_CODES, code);
}

export function exitCodeOf(code: CliErrorCode): ExitCode {
  return EXIT_CODES[code];
}
