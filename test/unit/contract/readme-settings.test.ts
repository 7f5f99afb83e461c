import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../../functions/contract/settings';
import { LOCAL_SERVER_SETTINGS } from '../../../local/settings';

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

/** The rows of the table under "## Configuration reference", as written. */
function documentedRows(markdown: string): string[] {
  const section = markdown.split(/^## Configuration reference$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.trim());
}

const row = (setting: { env: string; default: string; doc: string }) =>
  `| \`${setting.env}\` | ${setting.default} | ${setting.doc} |`;

describe("the README's configuration reference", () => {
  const rows = documentedRows(README);

  it('lists every setting the local server and the runtime read, as they define it, and nothing else', () => {
    expect(rows).toEqual([...Object.values(LOCAL_SERVER_SETTINGS), ...Object.values(SETTINGS)].map(row));
  });

  it('names each variable once', () => {
    const names = rows.map((line) => /^\| `([A-Z0-9_]+)`/.exec(line)?.[1]);
    expect(new Set(names).size).toBe(rows.length);
  });
});
