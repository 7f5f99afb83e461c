import { basename, dirname, join } from 'node:path';

/**
 * `BENCH_CPU_PROF=<dir>`: Node's flags for a bench child to write a V8 CPU profile (every 200 µs) to
 * `<dir>/<bundle's folder>/`, for `npx tsx bench/profile-report.ts <file>` (a profiling aid: the timings of a profiled
 * run are not the bench's figures). None without the variable.
 */
export function cpuProfileFlags(bundlePath: string): string[] {
  const directory = process.env.BENCH_CPU_PROF;
  if (!directory) return [];
  return ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', join(directory, basename(dirname(bundlePath)))];
}
