import { ConcurrencyLimit } from '../../core/concurrency-limit';
import { MAX_CONCURRENT_CALLS_PER_CONNECTION } from '../../core/fair-use';
import type { CallSlots } from './interface';

/** The slots of this process only: right for one function instance; not shared with other instances. */
export class InProcessCallSlots implements CallSlots {
  private readonly limits = new Map<string, ConcurrencyLimit>();

  constructor(private readonly perPim = MAX_CONCURRENT_CALLS_PER_CONNECTION) {}

  run<T>(pimHost: string, call: () => Promise<T>): Promise<T> {
    let limit = this.limits.get(pimHost);
    if (!limit) {
      limit = new ConcurrencyLimit(this.perPim);
      this.limits.set(pimHost, limit);
    }
    return limit.run(call);
  }
}
