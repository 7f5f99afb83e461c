// What the selected test files need from the machine, read from their imports: a suite that (through any chain of
// relative imports) loads test/support/dynamodb.ts needs DynamoDB Local, hence Java; one that loads
// test/support/chromium.ts needs Chromium. Nothing to declare by hand, so a new suite cannot forget it.
const { existsSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');

/** The helper each need is reached through. */
const NEED_MARKERS = {
  dynamodbLocal: join(ROOT, 'test', 'support', 'dynamodb.ts'),
  chromium: join(ROOT, 'test', 'support', 'chromium.ts'),
};

const RELATIVE_IMPORT = [
  /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /\b(?:require|import)\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
];
const EXTENSIONS = ['', '.ts', '.js', '/index.ts', '/index.js'];

function resolveImport(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function relativeImports(file) {
  const source = readFileSync(file, 'utf8');
  const found = [];
  for (const pattern of RELATIVE_IMPORT) {
    for (const match of source.matchAll(pattern)) {
      const target = resolveImport(file, match[1]);
      if (target !== undefined) found.push(target);
    }
  }
  return found;
}

/** Every file a test file loads through relative imports, itself included. */
function importClosure(testFile, cache = new Map()) {
  const seen = new Set();
  const pending = [resolve(testFile)];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!cache.has(file)) cache.set(file, relativeImports(file));
    pending.push(...cache.get(file));
  }
  return seen;
}

/** `{ dynamodbLocal, chromium }`: whether any of the test files needs each. */
function needsOf(testFiles) {
  const cache = new Map();
  const needs = { dynamodbLocal: false, chromium: false };
  for (const file of testFiles) {
    const closure = importClosure(file, cache);
    for (const [need, marker] of Object.entries(NEED_MARKERS)) {
      if (closure.has(marker)) needs[need] = true;
    }
  }
  return needs;
}

module.exports = { needsOf, importClosure };
