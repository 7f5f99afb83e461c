import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbConnectionStore } from '../functions/adapters/connection-store';
import { loadConfig } from '../functions/config';
import { createDocumentClient } from '../functions/wiring/adapters/dynamodb';
import { awsClients } from '../functions/wiring/aws-clients';
import { startLocalApp } from '../local/local-app';
import type { SandboxPim } from '../sandbox';
import { TestBrowser } from '../test/support/browser';
import { subscribedInSandbox } from '../test/support/event-deliveries';
import { connect, type TestApp } from '../test/support/test-app';
import { median, round } from './support/stats';

export interface EventFreshnessResult {
  readonly saves: number;
  /** From a product's save in the sandbox to its part written by the event worker. */
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The freshness target of issue 16: a product saved in the PIM is in the export within a minute. */
export const FRESHNESS_TARGET_MS = 60_000;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

/**
 * The whole local path of a save: the sandbox's Event Platform signs and delivers the product event to the local
 * server's webhook, which verifies and queues it; the in-process event worker reads the product (uuid IN) and writes
 * its part. One save at a time, each timed from `touchProducts` until the worker reports the run written.
 */
export async function measureEventFreshness(options: {
  readonly saves: number;
  readonly log: (line: string) => void;
}): Promise<EventFreshnessResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-freshness-'));
  let written: (() => void) | undefined;
  const app = await startLocalApp({
    // Warnings and errors only: one info line per delivery would drown the table.
    config: loadConfig({ APP_MODE: 'local', DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'WARN' }),
    port: 0,
    sandbox: { port: 0, productCount: 200 },
    onProductEvents: (_pimHost, outcome) => {
      if ('kind' in outcome && outcome.kind === 'written') written?.();
    },
  });
  try {
    const sandbox = app.sandbox as SandboxPim;
    const testApp = {
      ...app,
      sandbox,
      clientId: app.sandboxApp?.clientId ?? '',
      pimHost: new URL(sandbox.url).host,
      connections: new DynamoDbConnectionStore({
        client: createDocumentClient(app.config, awsClients('callback')),
        tableName: app.config.connectionsTableName ?? '',
      }),
    } as unknown as TestApp;
    await connect(testApp, new TestBrowser());
    await subscribedInSandbox(testApp);
    const times: number[] = [];
    for (let save = 0; save < options.saves; save += 1) {
      const done = new Promise<void>((resolve) => {
        written = resolve;
      });
      const started = performance.now();
      sandbox.touchProducts(1);
      await done;
      times.push(performance.now() - started);
    }
    options.log(`   ${options.saves} saves, median ${round(median(times), 1)} ms`);
    return {
      saves: options.saves,
      medianMs: round(median(times), 1),
      p99Ms: round(percentile(times, 0.99), 1),
      maxMs: round(Math.max(...times), 1),
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
