import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Mutant {
  name: string;
  file: string;
  replace: Array<[string, string]>;
  tests: string[];
  testNamePattern?: string;
}
// A plain CommonJS script (scripts/mutation-check.js), loaded with require and typed here.
const { MUTANTS, mutate } = require('../../scripts/mutation-check') as {
  MUTANTS: Mutant[];
  mutate: (source: string, mutant: Mutant) => string;
};

const ROOT = join(__dirname, '..', '..');

/** `npm run mutation` runs the mutants; this keeps their targets honest on every `npm test`. */
describe('the mutation check (scripts/mutation-check.js)', () => {
  it.each(MUTANTS.map((mutant) => [mutant.name, mutant]))(
    '%s: each replacement matches its file exactly once, and its tests exist',
    (_name, mutant) => {
      const source = readFileSync(join(ROOT, mutant.file), 'utf8');

      const mutated = mutate(source, mutant);

      expect(mutated).not.toBe(source);
      for (const [, to] of mutant.replace) expect(mutated).toContain(to);
      expect(mutant.tests.length).toBeGreaterThan(0);
      for (const test of mutant.tests) expect(existsSync(join(ROOT, test))).toBe(true);
      // Each alternative of a name pattern names a test of those files (a renamed test would leave it empty).
      for (const part of mutant.testNamePattern?.split('|') ?? []) {
        const named = mutant.tests.some((test) => readFileSync(join(ROOT, test), 'utf8').includes(part));
        expect({ part, named }).toEqual({ part, named: true });
      }
    },
  );

  it('fails loudly when a target line moved or appears twice', () => {
    const mutant: Mutant = { name: 'example', file: 'example.ts', replace: [['limit = 4;', 'limit = 64;']], tests: [] };

    expect(() => mutate('const other = 4;', mutant)).toThrow(
      'example: expected exactly one "limit = 4;" in example.ts, found 0',
    );
    expect(() => mutate('limit = 4;\nlimit = 4;', mutant)).toThrow(/found 2/);
    expect(mutate('const limit = 4;', mutant)).toBe('const limit = 64;');
  });
});
