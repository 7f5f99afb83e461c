import { OpsError } from './errors';

export interface Failure {
  readonly message: string;
  readonly exitCode?: number;
}

/** Turns anything thrown into one line that says what to do; the AWS SDK's errors get a hint. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof OpsError) return error;
  const name = (error as { name?: unknown } | undefined)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError') {
    return { message: `No AWS credentials found (${message}): set AWS_PROFILE, or run aws sso login` };
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return { message: `AWS refused the request (${message}): use a role allowed to manage the app's secrets` };
  }
  if (typeof name === 'string' && name !== 'Error') return { message: `${name}: ${message}` };
  return { message };
}
