/**
 * Counts the platform's unfinished work (queued deliveries, waits before a retry, requests in flight), so a test can
 * wait until everything that was due has happened, and stops it all when the sandbox closes.
 */
export class PendingWork {
  private pending = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controller = new AbortController();

  /** Aborted when the sandbox closes: in-flight requests end and nothing new starts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Marks one piece of work as started; call the returned function once when it is done. */
  begin(): () => void {
    this.pending += 1;
    let done = false;
    return () => {
      if (done || this.closed) return;
      done = true;
      this.pending -= 1;
      if (this.pending === 0) for (const resolve of this.waiters.splice(0)) resolve();
    };
  }

  /** Runs `task` after `ms`, counted as pending meanwhile; never once closed. */
  after(ms: number, task: () => void): void {
    if (this.closed) return;
    const end = this.begin();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        task();
      } finally {
        end();
      }
    }, ms);
    this.timers.add(timer);
  }

  /** Waits `ms`, counted as pending; resolves early (false) when the sandbox closes. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve(false);
        return;
      }
      const onAbort = () => resolve(false);
      this.signal.addEventListener('abort', onAbort, { once: true });
      this.after(ms, () => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** Resolves once no work is pending. */
  settled(): Promise<void> {
    if (this.pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.controller.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending = 0;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
