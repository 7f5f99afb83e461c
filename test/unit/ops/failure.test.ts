import { MalformedCredentialsError } from '../../../functions/adapters/credentials-registry/errors';
import { InvalidPimUrlError, PimNotRegisteredError } from '../../../functions/core/errors';
import {
  CancelledError,
  ConfirmationRequiredError,
  EmptySecretError,
  OperationFailedError,
  PimAlreadyRegisteredError,
  UsageError,
} from '../../../ops/errors';
import { describeFailure } from '../../../ops/failure';

const PIM = 'https://acme.cloud.akeneo.com';

/** The CLI's edge: what it prints after `error: `, and its exit code (README: 1 the operation failed, 2 bad usage). */
describe('describeFailure', () => {
  it.each([
    ['bad usage', new UsageError('Name the AWS region'), 2],
    ['a PIM URL it cannot read', new InvalidPimUrlError('The PIM URL must not contain a path'), 2],
    ['an empty secret', new EmptySecretError('The client secret is empty'), 2],
    ['a confirmation nobody can give', new ConfirmationRequiredError('Removing needs a confirmation'), 2],
    ['a cancelled prompt', new CancelledError('Cancelled: nothing was changed'), 1],
    ['a duplicate', new PimAlreadyRegisteredError(PIM), 1],
    ['a failed dependency', new OperationFailedError('Secrets Manager refused'), 1],
  ])('prints the message of %s as it is, with its exit code', (_case, error, exitCode) => {
    expect(describeFailure(error)).toEqual({ message: error.message, exitCode });
  });

  it('says how to fix an unknown PIM in its own words, and fails with 1', () => {
    expect(describeFailure(new PimNotRegisteredError(PIM))).toEqual({
      message: `${PIM} is not registered: check the URL with \`list\`, or register it with \`add\``,
      exitCode: 1,
    });
  });

  it('names any other error of the app, and fails with 1', () => {
    const error = new MalformedCredentialsError('the file .local/credentials.json');

    expect(describeFailure(error)).toEqual({ message: `MalformedCredentialsError: ${error.message}`, exitCode: 1 });
  });

  it.each([
    [
      'missing AWS credentials',
      Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }),
      'No AWS credentials found (Could not load credentials): set AWS_PROFILE, or run aws sso login',
    ],
    [
      'a refusal by AWS',
      Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }),
      "AWS refused the request (not authorized): use a role allowed to manage the app's secrets",
    ],
    [
      'a named SDK error',
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
      'ThrottlingException: Rate exceeded',
    ],
    ['a plain Error', new Error('socket hang up'), 'socket hang up'],
    ['a thrown string', 'boom', 'boom'],
  ])('describes %s by what was thrown, and fails with 1', (_case, thrown, message) => {
    expect(describeFailure(thrown)).toEqual({ message, exitCode: 1 });
  });
});
