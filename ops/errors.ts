import { EXIT_FAILED, EXIT_USAGE } from './io';

/**
 * Every failure the CLI reports, each with a stable `code` and the exit code it ends with. Messages fit one line,
 * say what to do, and never carry a secret.
 */
export abstract class OpsError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: number;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class UsageError extends OpsError {
  readonly code = 'usage';
  readonly exitCode = EXIT_USAGE;
}
export class InvalidPimUrlInputError extends OpsError {
  readonly code = 'invalid_pim_url';
  readonly exitCode = EXIT_USAGE;
}
export class EmptySecretError extends OpsError {
  readonly code = 'empty_secret';
  readonly exitCode = EXIT_USAGE;
}
export class ConfirmationRequiredError extends OpsError {
  readonly code = 'confirmation_required';
  readonly exitCode = EXIT_USAGE;
}
export class CancelledError extends OpsError {
  readonly code = 'cancelled';
  readonly exitCode = EXIT_FAILED;
}
export class PimAlreadyRegisteredError extends OpsError {
  readonly code = 'pim_already_registered';
  readonly exitCode = EXIT_FAILED;
  constructor(readonly pimUrl: string) {
    super(`${pimUrl} is already registered: use \`rotate\` to replace its credentials`);
  }
}
export class PimNotRegisteredError extends OpsError {
  readonly code = 'pim_not_registered';
  readonly exitCode = EXIT_FAILED;
  constructor(readonly pimUrl: string) {
    super(`${pimUrl} is not registered: check the URL with \`list\`, or register it with \`add\``);
  }
}
/** A dependency (Secrets Manager, DynamoDB, CloudFormation) could not do what was asked. */
export class OperationFailedError extends OpsError {
  readonly code = 'operation_failed';
  readonly exitCode = EXIT_FAILED;
}
