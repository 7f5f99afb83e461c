import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from '../contract/names';

/**
 * Every metric the functions emit, in the namespace of the service name (`POWERTOOLS_SERVICE_NAME`), with the
 * `service` dimension and, for failures, `errorCode`. Never a PIM dimension: one metric per PIM would cost more than
 * the app; a PIM's detail stays on its connection and in the logs, which name its host on every line.
 */
export const METRIC_NAMES = {
  /** Activate sent an admin to the PIM's consent. */
  connectStarted: 'ConnectStarted',
  /** The callback stored a connection (or recognised a replay of one). */
  connectCompleted: 'ConnectCompleted',
  /** Activate or the callback ended on an error page; dimension `errorCode`. */
  connectFailed: 'ConnectFailed',
  syncRunCompleted: 'SyncRunCompleted',
  syncRunContinued: 'SyncRunContinued',
  /** A run step that threw (SQS retries it); dimension `errorCode`. */
  syncRunFailed: 'SyncRunFailed',
  /** A run met a 401, a 403 or a stored URL on another host: the connection left `active`; dimension `errorCode`. */
  syncConnectionRefused: 'SyncConnectionRefused',
  syncProducts: 'SyncProducts',
  syncPages: 'SyncPages',
  /** The PIM answered 429: a wait before the retry. */
  syncRateLimited: 'SyncRateLimited',
  /** A 5xx, a timeout or a network failure: a wait before the retry. */
  syncRetries: 'SyncRetries',
  /** From a run's start to its completion, continuations included (milliseconds). */
  syncRunDuration: 'SyncRunDuration',
  /**
   * How far behind its PIM the export was when a run completed: its end minus the start of its window (the previous
   * run's start less the overlap), in seconds. Absent for a first sync.
   */
  syncLag: 'SyncLag',
  /** Active connections the dispatch sent a message for. */
  dispatchedConnections: 'DispatchedConnections',
  /** Active connections without a success within 3 schedule slots (since they connected, if never), per dispatch. */
  staleConnections: 'StaleConnections',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/** The app's view of Powertools Metrics: counts and durations, flushed as one EMF line per invocation. */
export interface AppMetrics {
  count(name: MetricName, value?: number): void;
  /** A failure by its error code: its own EMF line, with the `errorCode` dimension. */
  countByCode(name: MetricName, errorCode: string): void;
  milliseconds(name: MetricName, value: number): void;
  seconds(name: MetricName, value: number): void;
  /** Writes what was added since the last flush (nothing when nothing was). */
  flush(): void;
}

/** One per function, created at cold start; locally `POWERTOOLS_METRICS_DISABLED=true` keeps stdout readable. */
export function createMetrics({ serviceName = SERVICE_NAME }: { readonly serviceName?: string } = {}): AppMetrics {
  const metrics = new Metrics({ namespace: serviceName, serviceName });
  return {
    count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
    countByCode: (name, errorCode) => {
      const single = metrics.singleMetric();
      single.addDimension('errorCode', errorCode);
      single.addMetric(name, MetricUnit.Count, 1);
    },
    milliseconds: (name, value) => metrics.addMetric(name, MetricUnit.Milliseconds, value),
    seconds: (name, value) => metrics.addMetric(name, MetricUnit.Seconds, value),
    flush: () => {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    },
  };
}

/** Runs one invocation's work and flushes its metrics, whatever the outcome. */
export async function flushingMetrics<T>(metrics: AppMetrics | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    metrics?.flush();
  }
}
