import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const readJson = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8'));

/** Every locked package that has an install script, by name (npm 11 runs none it is not told about). */
function packagesWithInstallScripts(): string[] {
  const lock = readJson('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .sort();
}

describe("package.json's allowScripts", () => {
  it('decides, for every locked package with an install script, whether it runs, and names no other', () => {
    const allowScripts = (readJson('package.json').allowScripts ?? {}) as Record<string, unknown>;

    expect(Object.keys(allowScripts).sort()).toEqual(packagesWithInstallScripts());
    for (const decision of Object.values(allowScripts)) expect(typeof decision).toBe('boolean');
  });

  it('runs none of them: each ships its binary as a prebuilt platform package', () => {
    const allowScripts = readJson('package.json').allowScripts as Record<string, boolean>;

    expect(Object.values(allowScripts).filter(Boolean)).toEqual([]);
  });
});
