/** Fails when any of the values (tokens, secrets, codes, states, cookies) appears in the text. */
export function expectNoSecrets(text: string, values: readonly string[]): void {
  const leaked = values.filter((value) => value.length >= 8 && text.includes(value));
  if (leaked.length > 0) {
    throw new Error(
      `${leaked.length} secret value(s) leaked, starting ${leaked.map((v) => v.slice(0, 4)).join(', ')}…`,
    );
  }
}
