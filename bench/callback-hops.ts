import { type ChildProcess, fork } from 'node:child_process';
import { getEvent } from '../test/support/events';
import type { FunctionBundle } from './support/build';
import { buildChild } from './support/build';
import type { CallbackChildReply, CallbackChildRequest } from './support/callback-child';
import type { ProxiedCall } from './support/delay-proxy';
import { median, round } from './support/stats';
import type { BenchPim, World } from './support/world';

export interface HopFigures {
  /** Median wall time of the call at latency D, and at latency 0 (the same runs' CPU and local I/O). */
  readonly medianMsAtD: number;
  readonly medianMsAt0: number;
  /** (wall at D − wall at 0) / D: the time-based estimate of the round trips that lie one after the other. */
  readonly hops: number;
  /**
   * The same from the proxies' time line at D: the longest chain of remote calls each starting after the previous
   * one ended (median over the calls). Immune to CPU time overlapping the waits, unlike `hops`.
   */
  readonly sequentialCalls: number;
  readonly sequentialCallsMax: number;
  /** Remote calls per callback, by service and operation (the delay proxies count them). */
  readonly calls: Record<string, number>;
}

export interface CallbackHopsResult {
  readonly latencyMs: number;
  readonly processes: number;
  readonly cold: HopFigures;
  readonly warm: HopFigures;
  readonly naive: HopFigures;
  /** The cold callback's remote calls on a time line (ms from the first call), from one run at D. */
  readonly coldTimeline: readonly string[];
  readonly failures: readonly string[];
}

const WARM_PER_PROCESS = 3;
const NAIVE_PER_PROCESS = 3;

/**
 * Issue 7, point 2. Every remote call (DynamoDB, Secrets Manager, KMS, the PIM's token endpoint and public key) goes
 * through a proxy that holds it D ms. A fresh process (the synth Callback bundle) handles one callback (cold), then
 * more (warm: credentials and key cached), then the naive sequential callback runs in the same process. The same
 * runs at latency 0 give the CPU and local I/O part, which is subtracted: hops = (t(D) − t(0)) / D.
 */
export async function measureCallbackHops(
  world: World,
  callback: FunctionBundle,
  options: { readonly latencyMs: number; readonly processes: number; readonly log: (line: string) => void },
): Promise<CallbackHopsResult> {
  const script = await buildChild('callback-child');
  const pim = await world.startPim({ behindProxy: true });
  const env = world.lambdaEnv(callback.environment);
  const samples = {
    cold: new Map<number, number[]>(),
    warm: new Map<number, number[]>(),
    naive: new Map<number, number[]>(),
  };
  const chains: Record<'cold' | 'warm' | 'naive', number[]> = { cold: [], warm: [], naive: [] };
  const calls: Record<'cold' | 'warm' | 'naive', Record<string, number>> = { cold: {}, warm: {}, naive: {} };
  const failures: string[] = [];
  let coldTimeline: string[] = [];

  for (let index = 0; index < options.processes * 2; index += 1) {
    // Alternate D and 0, so that both see the same machine.
    const delay = index % 2 === 0 ? options.latencyMs : 0;
    world.setDelay(delay);
    const child = await startChild(script, { ...env, BENCH_BUNDLE: callback.bundlePath });
    try {
      const record = (kind: 'cold' | 'warm' | 'naive', reply: CallbackChildReply) => {
        if (!reply.ok) {
          failures.push(`${kind}: ${reply.detail}`);
          return;
        }
        const list = samples[kind].get(delay) ?? [];
        list.push(reply.ms);
        samples[kind].set(delay, list);
      };
      const firstCall = world.proxies.map((proxy) => proxy.calls.length);
      const counted = async (kind: 'cold' | 'warm' | 'naive', request: () => Promise<CallbackChildReply>) => {
        for (const proxy of world.proxies) proxy.reset();
        const from = world.proxies.map((proxy) => proxy.calls.length);
        const reply = await request();
        if (index === 0) calls[kind] = countAll(world);
        if (delay > 0 && reply.ok) {
          chains[kind].push(longestChain(world.proxies.flatMap((proxy, at) => proxy.calls.slice(from[at]))));
        }
        return reply;
      };
      const cold = await counted('cold', async () =>
        ask(child, { type: 'callback', event: await callbackEvent(world, pim) }),
      );
      record('cold', cold);
      if (index === 0) coldTimeline = timeline(world, firstCall);
      for (let warm = 0; warm < WARM_PER_PROCESS; warm += 1) {
        const event = await callbackEvent(world, pim);
        record('warm', await counted('warm', () => ask(child, { type: 'callback', event })));
      }
      for (let naive = 0; naive < NAIVE_PER_PROCESS; naive += 1) {
        const request = await world.prepareCallback(pim);
        const input = {
          code: request.code,
          state: request.state,
          browserBinding: request.cookie.slice(request.cookie.indexOf('=') + 1),
          now: Math.floor(Date.now() / 1000),
        };
        record('naive', await counted('naive', () => ask(child, { type: 'naive', input })));
      }
    } finally {
      child.send({ type: 'exit' } satisfies CallbackChildRequest);
    }
    options.log(`  callback hops: process ${index + 1}/${options.processes * 2} (D = ${delay} ms)`);
  }
  world.setDelay(0);
  await pim.close();

  const figures = (kind: 'cold' | 'warm' | 'naive'): HopFigures => {
    const atD = median(samples[kind].get(options.latencyMs) ?? []);
    const at0 = median(samples[kind].get(0) ?? []);
    return {
      medianMsAtD: round(atD, 1),
      medianMsAt0: round(at0, 1),
      hops: round((atD - at0) / options.latencyMs, 2),
      sequentialCalls: median(chains[kind]),
      sequentialCallsMax: Math.max(...chains[kind]),
      calls: calls[kind],
    };
  };
  return {
    latencyMs: options.latencyMs,
    processes: options.processes,
    cold: figures('cold'),
    warm: figures('warm'),
    naive: figures('naive'),
    coldTimeline,
    failures,
  };
}

async function callbackEvent(world: World, pim: BenchPim) {
  const request = await world.prepareCallback(pim);
  const query = new URLSearchParams({ code: request.code, state: request.state }).toString();
  return getEvent('/callback', query, [request.cookie]);
}

/** The most calls that ran one after the other: earliest-end-first selection of non-overlapping intervals. */
function longestChain(calls: readonly ProxiedCall[]): number {
  let count = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.endMs - b.endMs)) {
    if (call.startMs >= end) {
      count += 1;
      end = call.endMs;
    }
  }
  return count;
}

function countAll(world: World): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const proxy of world.proxies) {
    for (const [operation, count] of Object.entries(proxy.counts())) {
      const service = proxy.calls[0]?.service ?? '?';
      counts[`${service} ${operation}`] = count;
    }
  }
  return counts;
}

/** The calls made since `from` (per proxy), as `+start..+end service operation` lines, ms from the first. */
function timeline(world: World, from: readonly number[]): string[] {
  const calls = world.proxies.flatMap((proxy, index) => proxy.calls.slice(from[index]));
  calls.sort((a, b) => a.startMs - b.startMs);
  const origin = calls[0]?.startMs ?? 0;
  return calls.map(
    (call) =>
      `+${Math.round(call.startMs - origin)}..+${Math.round(call.endMs - origin)} ms  ${call.service} ${call.operation}`,
  );
}

function startChild(script: string, env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`The callback child exited (${code}) before it was ready`)));
  });
}

function ask(child: ChildProcess, request: CallbackChildRequest): Promise<CallbackChildReply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`The callback child exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (reply: CallbackChildReply) => {
      child.off('exit', onExit);
      resolve(reply);
    });
    child.send(request);
  });
}
