/**
 * Where a bench child's CPU went, from a V8 CPU profile (`BENCH_CPU_PROF=<dir> npm run bench -- --only …`):
 *   npx tsx bench/profile-report.ts <file.cpuprofile> [bundle source map]
 * The bundle's source map (default: the SyncWorker's, as the bench built it) names our files and the packages behind
 * the minified code. Prints milliseconds of self time by package or source file, then by the deepest function of
 * ours on the stack (work done for it in libraries included); idle and the garbage collector apart.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { OUT_DIR } from './support/build';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const APART = new Set(['(idle)', '(garbage collector)', '(program)']);

function main(): void {
  const [profileFile, mapFile = join(OUT_DIR, 'fn', 'SyncWorker', 'index.js.map')] = process.argv.slice(2);
  if (profileFile === undefined) throw new Error('Usage: npx tsx bench/profile-report.ts <file.cpuprofile> [map]');
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  const place = (frame: ProfileNode['callFrame']): string => {
    if (frame.url === '') return frame.functionName || '(native code)';
    if (!frame.url.endsWith('.js') || frame.url.startsWith('node:')) return frame.url;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; name?: string };
    const source = (entry.originalSource ?? '?').replace(/^(\.\.\/)+/, '');
    const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    if (inPackage) return `package ${inPackage[1]}`;
    return `${source.replace(/^.*?(functions\/)/, '$1')} ${entry.name ?? frame.functionName}`;
  };

  const self = new Map<string, number>();
  const ours = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((sample, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += ms;
    const node = nodes.get(sample);
    if (node === undefined) return;
    const leaf = place(node.callFrame);
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    let owner = APART.has(node.callFrame.functionName)
      ? node.callFrame.functionName
      : 'no function of ours on the stack';
    for (let id: number | undefined = sample; id !== undefined && !APART.has(owner); id = parents.get(id)) {
      const at = place((nodes.get(id) as ProfileNode).callFrame);
      if (at.startsWith('functions/')) {
        owner = at;
        break;
      }
    }
    ours.set(owner, (ours.get(owner) ?? 0) + ms);
  });

  const print = (title: string, totals: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
      console.log(`${ms.toFixed(1).padStart(9)} ms  ${name}`);
    }
  };
  console.log(`${profileFile}: ${totalMs.toFixed(0)} ms sampled`);
  print('Self time, by package or file', self);
  print('By the deepest function of ours on the stack', ours);
}

main();
