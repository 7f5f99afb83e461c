import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { RetryBeyondTimeLeftError } from '../../akeneo/rest-errors';
import { CALL_SLOTS, freeSlots, leaseClock, leaseExpiresAt, slotWaitMs } from '../../core/call-slot-lease';
import { ConcurrencyLimit } from '../../core/concurrency-limit';
import { PimUnavailableError } from '../../core/errors';
import { CALL_SLOT_LEASE_MS, MAX_CALL_SLOT_WAIT_MS, MAX_CONCURRENT_CALLS_PER_CONNECTION } from '../../core/fair-use';
import type { CallSlotLimits, CallSlots } from './interface';

export interface DynamoDbCallSlotsOptions {
  readonly client: DynamoDBDocumentClient;
  /** The call slots table (`CALL_SLOTS_TABLE` in functions/contract/tables.ts). */
  readonly tableName: string;
  /** Names this instance in its leases. @default a random UUID */
  readonly instanceId?: string;
  /** Epoch milliseconds. Tests pass another clock; everything else uses the real one. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** One taken slot: the owner value is this lease's alone, so a late release never frees a newer lease. */
interface Lease {
  readonly slot: number;
  readonly owner: string;
}

/** This instance's side of one PIM: at most 4 of its calls look for a slot at once, and which slots they use. */
interface PimHere {
  readonly limit: ConcurrencyLimit;
  /** Slots this instance holds, or is trying to take: never tried twice at once. */
  readonly busy: Set<number>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The PIM's 4 call slots shared by every function instance, as leases in DynamoDB: one item per (PIM host, slot),
 * taken by one conditional write (free, or its lease has ended) and freed by a delete conditional on its owner. A
 * lease outlasts the longest call (`CALL_SLOT_LEASE_MS`), so an instance that crashes or is frozen mid-call frees
 * its slots when they end; the time to live on `expiresAt` removes them from the table later.
 *
 * A call on a PIM nobody else is calling costs two writes: the take of a slot this instance is not using, and the
 * release. When that slot is taken, one consistent Query shows which are free; when none is, the call waits a short
 * jittered step and looks again. A lease is released as soon as its call settles, never kept for the next call: a
 * Lambda instance frozen between invocations would keep it from every other function until it ended.
 */
export class DynamoDbCallSlots implements CallSlots {
  readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;
  private readonly instanceId: string;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly pims = new Map<string, PimHere>();
  private leases = 0;

  constructor(options: DynamoDbCallSlotsOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.instanceId = options.instanceId ?? randomUUID();
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  run<T>(pimHost: string, call: () => Promise<T>, limits: CallSlotLimits = {}): Promise<T> {
    const here = this.pimHere(pimHost);
    // The in-process limit comes first: this instance never has more than 4 calls after the PIM's slots at once.
    return here.limit.run(async () => {
      const lease = await this.acquire(pimHost, here, limits);
      try {
        return await call();
      } finally {
        await this.release(pimHost, lease);
        here.busy.delete(lease.slot);
      }
    });
  }

  private pimHere(pimHost: string): PimHere {
    let here = this.pims.get(pimHost);
    if (!here) {
      here = { limit: new ConcurrencyLimit(MAX_CONCURRENT_CALLS_PER_CONNECTION), busy: new Set() };
      this.pims.set(pimHost, here);
    }
    return here;
  }

  private async acquire(pimHost: string, here: PimHere, limits: CallSlotLimits): Promise<Lease> {
    // First, one slot this instance is not using, at random: alone on the PIM, that write is all it takes.
    let candidates = [this.pick(CALL_SLOTS.filter((slot) => !here.busy.has(slot)))];
    let waitedMs = 0;
    for (let round = 0; ; round += 1) {
      for (const slot of candidates) {
        const lease = await this.take(pimHost, slot, here);
        if (lease) return lease;
      }
      if (round > 0) waitedMs += await this.wait(pimHost, round - 1, waitedMs, limits);
      candidates = this.shuffle(await this.free(pimHost, here));
    }
  }

  /** One conditional write: the slot becomes this lease's if it is free or its lease has ended. */
  private async take(pimHost: string, slot: number, here: PimHere): Promise<Lease | undefined> {
    if (here.busy.has(slot)) return undefined;
    here.busy.add(slot);
    this.leases += 1;
    const lease = { slot, owner: `${this.instanceId}/${this.leases}` };
    const now = this.now();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pimHost, slot: String(slot), owner: lease.owner, expiresAt: leaseExpiresAt(now, CALL_SLOT_LEASE_MS) },
          ConditionExpression: 'attribute_not_exists(#owner) OR expiresAt < :now',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': leaseClock(now) },
        }),
      );
      return lease;
    } catch (error) {
      here.busy.delete(slot);
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Frees the slot if the lease is still this one's. A refused delete means the lease had ended and the slot is
   * someone else's now (or was removed by the time to live): nothing to free. Any other failure is not the call's:
   * the call's result stands, and the lease ends by itself.
   */
  private async release(pimHost: string, lease: Lease): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pimHost, slot: String(lease.slot) },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': lease.owner },
        }),
      );
    } catch {
      // See above: either the slot is no longer this lease's, or its lease frees it when it ends.
    }
  }

  /** The slots no live lease holds, read consistently: one Query of the PIM's few items. */
  private async free(pimHost: string, here: PimHere): Promise<number[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pimHost = :pimHost',
        ProjectionExpression: '#slot, expiresAt',
        ExpressionAttributeNames: { '#slot': 'slot' },
        ExpressionAttributeValues: { ':pimHost': pimHost },
        ConsistentRead: true,
      }),
    );
    const leases = Items.map((item) => ({ slot: Number(item.slot), expiresAt: Number(item.expiresAt) }));
    return freeSlots(leases, this.now(), here.busy);
  }

  /** Waits one step before looking again, unless the caller's time, or the longest wait, would run out first. */
  private async wait(pimHost: string, step: number, waitedMs: number, limits: CallSlotLimits): Promise<number> {
    const delayMs = slotWaitMs(step, this.random());
    if (limits.waitBudgetMs && delayMs > limits.waitBudgetMs()) {
      throw new RetryBeyondTimeLeftError('call-slots', delayMs);
    }
    if (waitedMs + delayMs > MAX_CALL_SLOT_WAIT_MS) {
      throw new PimUnavailableError(
        `Every call slot of ${pimHost} stayed taken for ${Math.round(waitedMs / 1000)} s: other functions of the ` +
          `app keep its ${MAX_CONCURRENT_CALLS_PER_CONNECTION} concurrent calls busy`,
      );
    }
    await this.sleep(delayMs);
    return delayMs;
  }

  private pick(slots: readonly number[]): number {
    return slots[this.below(slots.length)] as number;
  }

  /** A random whole number from 0 to `count - 1`. */
  private below(count: number): number {
    return Math.min(count - 1, Math.floor(this.random() * count));
  }

  /** Concurrent callers from several instances spread over the free slots instead of all trying the first. */
  private shuffle(slots: number[]): number[] {
    for (let index = slots.length - 1; index > 0; index -= 1) {
      const other = this.below(index + 1);
      [slots[index], slots[other]] = [slots[other] as number, slots[index] as number];
    }
    return slots;
  }
}
