import { expectNoSecrets, MIN_SECRET_LENGTH } from '../../support/secrets';

const TOKEN = 'NjE0ZmRjYjNlZGQ4YzNlMmY3MjdiNzU0MTA4NjYzZTE0YTQ5NjA3NDU0ZGI1MjlkMDQwZGExZjYxMjg4MzM0NA';

describe('expectNoSecrets', () => {
  it('passes when no value appears in the text, and fails naming only the start of one that does', () => {
    expect(() => expectNoSecrets('<p>Connected</p>', [TOKEN])).not.toThrow();
    expect(() => expectNoSecrets(`log: ${TOKEN}`, [TOKEN])).toThrow(/^1 secret value\(s\) leaked, starting NjE0…$/);
  });

  it('fails on a missing value instead of dropping the check', () => {
    expect(() => expectNoSecrets('text', [TOKEN, undefined])).toThrow(/secret #2 is missing \(undefined\)/);
    expect(() => expectNoSecrets('text', [null])).toThrow(/secret #1 is missing \(null\)/);
    expect(() => expectNoSecrets('text', [''])).toThrow(/secret #1 is missing \(""\)/);
    expect(() => expectNoSecrets('text', [])).toThrow(/no secret to look for/);
  });

  it('fails loudly on a value too short to search for, without printing it', () => {
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);

    expect(() => expectNoSecrets('text', [short])).toThrow(
      `expectNoSecrets: secret #1 has ${MIN_SECRET_LENGTH - 1} characters, under the ${MIN_SECRET_LENGTH} it can search for`,
    );
    expect(() => expectNoSecrets('text', ['x'.repeat(MIN_SECRET_LENGTH)])).not.toThrow();
  });
});
