import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { TransformParameterError } from '@aws-lambda-powertools/parameters';
import { errorResult } from '../../../functions/http/error-result';
import { captureLogs } from '../../support/log-capture';

/** What a parser says of `{"clientId": "x", "clientSecret": supersecret-value}`: it quotes the secret. */
function parserErrorOf(text: string): Error {
  try {
    JSON.parse(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the text not to parse');
}

describe('errorResult', () => {
  it.each([
    ['a SyntaxError', () => parserErrorOf('{"clientId": "x", "clientSecret": supersecret-value}')],
    [
      'a TransformParameterError',
      () => new TransformParameterError('json', parserErrorOf('{"s": supersecret}').message),
    ],
  ])('logs only the name of %s, whose message quotes the text it failed on', (_case, cause) => {
    const failure = cause();
    expect(failure.message).toContain('supersecre');
    const logs = captureLogs();
    try {
      errorResult({ logger: new Logger({ serviceName: 'test' }), randomBytes }, failure, true);
    } finally {
      logs.stop();
    }

    expect(logs.lines()).toEqual([expect.objectContaining({ errorCode: 'unexpected', causeName: failure.name })]);
    expect(logs.text()).not.toContain('supersecre');
  });

  it('logs the name and message of any other cause', () => {
    const logs = captureLogs();
    try {
      errorResult(
        { logger: new Logger({ serviceName: 'test' }), randomBytes },
        Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }),
        true,
      );
    } finally {
      logs.stop();
    }

    expect(logs.lines()).toEqual([
      expect.objectContaining({
        causeName: 'ResourceNotFoundException',
        causeMessage: 'Requested resource not found',
      }),
    ]);
  });
});
