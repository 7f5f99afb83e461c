/**
 * Shorter values are refused rather than searched for: a short value could appear in a page by chance, and a
 * check that skipped it would pass without testing anything. Every secret the app handles is far longer (states
 * 43 characters, Akeneo codes, tokens and secrets 86).
 */
export const MIN_SECRET_LENGTH = 16;

/**
 * Fails when any of the values (tokens, secrets, codes, states, cookies) appears in the text. Also fails when a value
 * is missing or too short to search for: a lookup that found nothing must fail the test, not drop the check.
 */
export function expectNoSecrets(text: string, values: ReadonlyArray<string | null | undefined>): void {
  if (values.length === 0) throw new Error('expectNoSecrets was given no secret to look for');
  values.forEach((value, index) => {
    if (value === undefined || value === null || value === '') {
      throw new Error(
        `expectNoSecrets: secret #${index + 1} is missing (${JSON.stringify(value)}): its lookup found nothing`,
      );
    }
    if (value.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `expectNoSecrets: secret #${index + 1} has ${value.length} characters, under the ${MIN_SECRET_LENGTH} it can search for`,
      );
    }
  });
  const leaked = (values as string[]).filter((value) => text.includes(value));
  if (leaked.length > 0) {
    throw new Error(
      `${leaked.length} secret value(s) leaked, starting ${leaked.map((v) => v.slice(0, 4)).join(', ')}…`,
    );
  }
}
