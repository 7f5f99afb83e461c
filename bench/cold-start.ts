import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_SECRET_PREFIX, secretNameFor } from '../functions/contract/names';
import { FUNCTION_BUNDLING, type FunctionBundling } from '../lib/constructs/function-bundling';
import { getEvent } from '../test/support/events';
import { startFakePim } from '../test/support/fake-pim';
import {
  analyseBundle,
  buildChild,
  buildVariant,
  type Contributor,
  emptyHandler,
  type FunctionBundle,
  OUT_DIR,
} from './support/build';
import { cpuProfileFlags } from './support/cpu-profile';
import { sqsEvent } from './support/lambda-events';
import { median, round } from './support/stats';
import { NAMES, type World } from './support/world';

export interface BundleFigures {
  readonly name: string;
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  /** The function's memory in the template (MB): what Lambda bills per second. */
  readonly memorySize: number;
  /** The same entry rebuilt with the construct's options: equal to `bundleBytes` when they match. */
  readonly rebuiltBytes: number;
  readonly contributors: readonly Contributor[];
}

export interface ColdStartTarget {
  readonly name: string;
  readonly runs: readonly number[];
  readonly medianMs: number;
  readonly ratioToEmpty: number;
  /**
   * The CPU time (user + system) of the same processes, as they report it at exit: less sensitive than wall time to
   * other work on a shared machine, which only delays a process.
   */
  readonly cpuRuns: readonly number[];
  readonly medianCpuMs: number;
  readonly cpuRatioToEmpty: number;
  readonly failures: readonly string[];
}

export interface ColdStartResult {
  readonly runsPerTarget: number;
  readonly bundles: readonly BundleFigures[];
  readonly empty: ColdStartTarget;
  readonly functions: readonly ColdStartTarget[];
  /**
   * Profiling what-ifs on the Callback (the same code loaded differently) and its Node-only floor
   * (`CALLBACK_FLOOR`). Not the deployed figure.
   */
  readonly variants: readonly ColdStartTarget[];
}

interface Target {
  readonly name: string;
  readonly bundlePath: string;
  readonly env: Record<string, string>;
  /** The event of one run, prepared before the process starts. */
  prepare(): Promise<unknown>;
  /** Whether the handler did its work: a fast error (or a fast refusal) must not pass for a fast start. */
  check(result: unknown): boolean | Promise<boolean>;
}

const ACTIVATE_PIM = 'pim.example.com';
export const CALLBACK_FLOOR = "Callback's 6 remote exchanges, an RS256 check, an AES-GCM seal; Node alone";

/**
 * Issue 7, point 1. For each function: the synth bundle's size and largest contributors, and the whole lifetime of
 * a fresh `node` that loads the bundle and handles one request, against the same for an empty handler. Runs are
 * interleaved (every target once per round, rounds repeated) so that drift in the machine's load hits all alike.
 */
export async function measureColdStart(
  world: World,
  bundles: readonly FunctionBundle[],
  options: { readonly runs: number; readonly log: (line: string) => void },
): Promise<ColdStartResult> {
  const figures: BundleFigures[] = [];
  for (const bundle of bundles) {
    const analysis = await analyseBundle(bundle);
    figures.push({
      name: bundle.name,
      bundleBytes: bundle.bundleBytes,
      sourceMapBytes: bundle.sourceMapBytes,
      memorySize: bundle.memorySize,
      rebuiltBytes: analysis.rebuiltBytes,
      contributors: analysis.contributors.slice(0, 6),
    });
  }

  const runner = await buildChild('cold-runner');
  const pim = await world.startPim({ behindProxy: true });
  await world.connect(pim);
  const secrets = new SecretsManagerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    endpoint: world.secrets.standIn.endpoint,
  });
  await secrets.send(
    new CreateSecretCommand({
      Name: secretNameFor(DEFAULT_SECRET_PREFIX, ACTIVATE_PIM),
      SecretString: JSON.stringify({ clientId: 'bench-client', clientSecret: 'bench-secret' }),
    }),
  );
  secrets.destroy();

  const byName = new Map(bundles.map((bundle) => [bundle.name, bundle]));
  const envOf = (name: string) => world.lambdaEnv(required(byName.get(name), name).environment);
  const http = (expected: number[]) => (result: unknown) =>
    expected.includes((result as { statusCode?: number } | undefined)?.statusCode ?? 0);
  const callbackEvent = async () => {
    const request = await world.prepareCallback(pim);
    return getEvent('/callback', new URLSearchParams({ code: request.code, state: request.state }).toString(), [
      request.cookie,
    ]);
  };
  const callback = required(byName.get('Callback'), 'Callback');
  const targets: Target[] = [
    {
      name: 'Empty handler',
      bundlePath: emptyHandler(),
      env: envOf('Landing'),
      prepare: async () => getEvent('/', ''),
      check: http([200]),
    },
    ...bundles.map((bundle): Target => {
      const env = envOf(bundle.name);
      switch (bundle.name) {
        case 'Landing':
          return {
            name: bundle.name,
            bundlePath: bundle.bundlePath,
            env,
            prepare: async () => getEvent('/', ''),
            check: http([200]),
          };
        case 'Activate':
          return {
            name: bundle.name,
            bundlePath: bundle.bundlePath,
            env,
            prepare: async () => getEvent('/activate', `pim_url=${encodeURIComponent(`https://${ACTIVATE_PIM}`)}`),
            check: http([302, 303]),
          };
        case 'Callback':
          return { name: bundle.name, bundlePath: bundle.bundlePath, env, prepare: callbackEvent, check: http([200]) };
        case 'SyncDispatch':
          return {
            name: bundle.name,
            bundlePath: bundle.bundlePath,
            env,
            prepare: async () => ({ time: new Date().toISOString() }),
            check: (result) => ((result as { connections?: number } | undefined)?.connections ?? 0) > 0,
          };
        default:
          return {
            name: bundle.name,
            bundlePath: bundle.bundlePath,
            env,
            prepare: async () => {
              // Every run exports the whole (50-product) catalog, as the first one does.
              await world.documents.send(
                new UpdateCommand({
                  TableName: NAMES.connectionsTable,
                  Key: { pimHost: pim.host },
                  UpdateExpression: 'REMOVE syncCursor, syncCheckpoint',
                }),
              );
              return sqsEvent(pim.host);
            },
            // No failed message is not enough: a refused PIM is no failure either. The run must have completed.
            check: async (result) =>
              ((result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures ?? [1]).length === 0 &&
              (await completedRun(world, pim.host)),
          };
      }
    }),
  ];
  const variants: Target[] = [];
  const callbackEnv = envOf('Callback');
  // Each what-if undoes one lever of the deployed bundling (lib/constructs/function-bundling.ts), all else equal; the
  // last one undoes them all: the bundling before issue 18.
  const withFlags = (flags: readonly string[]) => {
    const nodeOptions = [...FUNCTION_BUNDLING.nodeOptions, ...flags].join(' ');
    return nodeOptions ? { ...callbackEnv, NODE_OPTIONS: nodeOptions } : callbackEnv;
  };
  const whatIfs: { name: string; variant: string; changes: Partial<FunctionBundling>; flags: string[] }[] = [
    { name: 'Callback, with --enable-source-maps', variant: 'deployed', changes: {}, flags: ['--enable-source-maps'] },
    {
      name: "Callback, the SDK's CommonJS build bundled (main first: no tree-shaking)",
      variant: 'sdk-main-first',
      changes: { mainFields: ['main', 'module'] },
      flags: [],
    },
    {
      name: "Callback, the runtime's SDK (@aws-sdk/* external)",
      variant: 'sdk-external',
      changes: { externalModules: ['@aws-sdk/*'] },
      flags: [],
    },
    {
      name: "Callback as before issue 18: the runtime's SDK and --enable-source-maps",
      variant: 'sdk-external',
      changes: { externalModules: ['@aws-sdk/*'] },
      flags: ['--enable-source-maps'],
    },
  ];
  for (const whatIf of whatIfs) {
    const built =
      whatIf.variant === 'deployed'
        ? { bundlePath: callback.bundlePath, bundleBytes: callback.bundleBytes }
        : await buildVariant(callback, whatIf.variant, whatIf.changes);
    variants.push({
      name: `${whatIf.name} (${round(built.bundleBytes / 1024, 0)} KiB)`,
      bundlePath: built.bundlePath,
      env: withFlags(whatIf.flags),
      prepare: callbackEvent,
      check: http([200]),
    });
  }

  const floor = await startCallbackFloor(world);
  variants.push({
    name: CALLBACK_FLOOR,
    bundlePath: await buildChild('callback-floor'),
    // Node alone: none of the function's settings, only what its exchanges need.
    env: { PATH: callbackEnv.PATH ?? '', NODE_EXTRA_CA_CERTS: world.tls.caFile, ...floor.env },
    prepare: async () => ({}),
    check: http([200]),
  });

  const all = [...targets, ...variants];
  const times = new Map<string, number[]>(all.map((target) => [target.name, []]));
  const cpuTimes = new Map<string, number[]>(all.map((target) => [target.name, []]));
  const failures = new Map<string, string[]>(all.map((target) => [target.name, []]));
  const scratch = join(OUT_DIR, 'cold');
  mkdirSync(scratch, { recursive: true });
  for (let round_ = 0; round_ < options.runs; round_ += 1) {
    for (const target of rotate(all, round_)) {
      const event = await target.prepare();
      const resultFile = join(scratch, 'result.json');
      rmSync(resultFile, { force: true });
      const ms = await timeProcess(runner, {
        ...target.env,
        BENCH_BUNDLE: target.bundlePath,
        BENCH_EVENT: JSON.stringify(event),
        BENCH_RESULT: resultFile,
      });
      const report = JSON.parse(readFileSync(resultFile, 'utf8')) as {
        ok: boolean;
        result?: unknown;
        error?: string;
        cpuMs: number;
      };
      if (report.ok && (await target.check(report.result))) {
        times.get(target.name)?.push(ms);
        cpuTimes.get(target.name)?.push(report.cpuMs);
      } else failures.get(target.name)?.push(report.error ?? JSON.stringify(report.result).slice(0, 300));
    }
    options.log(`  cold start: round ${round_ + 1}/${options.runs}`);
  }
  await pim.close();
  await floor.close();

  const emptyMedian = median(times.get('Empty handler') ?? []);
  const emptyCpuMedian = median(cpuTimes.get('Empty handler') ?? []);
  const summarise = (target: Target): ColdStartTarget => {
    const runs = times.get(target.name) ?? [];
    const medianMs = median(runs);
    return {
      name: target.name,
      runs: runs.map((ms) => round(ms, 1)),
      medianMs: round(medianMs, 1),
      ratioToEmpty: round(medianMs / emptyMedian, 2),
      cpuRuns: (cpuTimes.get(target.name) ?? []).map((ms) => round(ms, 1)),
      medianCpuMs: round(median(cpuTimes.get(target.name) ?? []), 1),
      cpuRatioToEmpty: round(median(cpuTimes.get(target.name) ?? []) / emptyCpuMedian, 2),
      failures: failures.get(target.name) ?? [],
    };
  };
  return {
    runsPerTarget: options.runs,
    bundles: figures,
    empty: summarise(targets[0]),
    functions: targets.slice(1).map(summarise),
    variants: variants.map(summarise),
  };
}

/** Whether the SyncWorker's run completed: the connection is still active and has its cursor back. */
async function completedRun(world: World, pimHost: string): Promise<boolean> {
  const { Item } = await world.documents.send(
    new GetCommand({ TableName: NAMES.connectionsTable, Key: { pimHost }, ConsistentRead: true }),
  );
  return Item?.status === 'active' && typeof Item.syncCursor === 'string';
}

/**
 * What the callback floor calls: loopback servers that answer at once (the PIM's over https with the world's
 * certificate, as the Callback reaches the PIM; the AWS stand-ins' over plain http, as the bench serves them), and an
 * RS256 id_token with its key.
 */
async function startCallbackFloor(world: World): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const instant = (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => response.end('{}'));
  };
  const server = await startFakePim(instant);
  const pimServer = createHttpsServer(world.tls, instant);
  await new Promise<void>((resolve) => pimServer.listen(0, '127.0.0.1', resolve));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'RS256' })}.${part({ iss: 'floor', aud: 'floor', sub: 'floor' })}`;
  const signature = sign('RSA-SHA256', Buffer.from(signed), privateKey).toString('base64url');
  return {
    env: {
      FLOOR_URL: server.url,
      FLOOR_PIM_URL: `https://localhost:${(pimServer.address() as AddressInfo).port}`,
      FLOOR_JWT: `${signed}.${signature}`,
      FLOOR_JWK: JSON.stringify(publicKey.export({ format: 'jwk' })),
    },
    close: async () => {
      await server.close();
      pimServer.closeAllConnections();
      await new Promise<void>((resolve) => pimServer.close(() => resolve()));
    },
  };
}

/** Spawn to exit of `node script`, in milliseconds. */
function timeProcess(script: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...cpuProfileFlags(env.BENCH_BUNDLE ?? ''), script], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

/** The targets in a different order each round, so that none always runs first or after the same neighbour. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return by % 2 === 0 ? rotated : rotated.reverse();
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The stack has no ${what} function`);
  return value;
}
