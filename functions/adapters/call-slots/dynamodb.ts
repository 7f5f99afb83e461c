import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { RetryBeyondTimeLeftError } from '../../akeneo/rest-errors';
import {
  CALL_SLOTS,
  freeSlots,
  leaseClock,
  leaseExpiresAt,
  PLACE_IN_LINE_MS,
  PLACE_RENEWAL_MS,
  placesInLine,
  type SlotView,
  slotWaitMs,
} from '../../core/call-slot-lease';
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

/** One call looking for a slot. */
interface Waiting {
  readonly pimHost: string;
  readonly here: PimHere;
  readonly limits: CallSlotLimits;
  /** When it started to look (epoch milliseconds): its rank in the line. */
  readonly since: number;
  waitedMs: number;
}

/** A slot as one look saw it, with the owners of its lease and of its place in line. */
interface LookedSlot extends SlotView {
  readonly owner: string | undefined;
  readonly waiterOwner: string | undefined;
}

/** True when the conditional write went through, false when its condition refused it; other failures are thrown. */
async function refusedAsFalse(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Rounds of free-or-hand-over a release tries while waiters come and go. */
const RELEASE_ROUNDS = 3;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The PIM's 4 call slots shared by every function instance, as leases in DynamoDB: one item per (PIM host, slot),
 * taken by one conditional write (free, or its lease has ended) and freed by a delete conditional on its owner. A
 * lease outlasts the longest call (`CALL_SLOT_LEASE_MS`), so an instance that crashes or is frozen mid-call frees
 * its slots when they end; the time to live on `expiresAt` removes them from the table later.
 *
 * A call on a PIM nobody else is calling costs two writes: the take of a slot this instance is not using, and the
 * release. When that slot is taken, one consistent Query shows which are free. When none is, the call stands in line
 * for one: it writes itself on the slot as its waiter, and the holder's release hands the slot over to it instead of
 * freeing it, so a call that waits is never overtaken by a function that calls again and again (the first version,
 * where waiters looked again in jittered steps, let one busy instance keep all 4 slots for minutes). A call that came
 * earlier takes the place of a later one; one that finds no place looks again after a short jittered step. A place
 * in line lapses unless renewed, so a waiter that died is skipped. A lease is released as soon as its call settles,
 * never kept for the next call: a Lambda instance frozen between invocations would keep it from every other function
 * until it ended.
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
    const first = await this.take(pimHost, this.pick(CALL_SLOTS.filter((slot) => !here.busy.has(slot))), here);
    if (first) return first;
    const waiting: Waiting = { pimHost, here, limits, since: this.now(), waitedMs: 0 };
    for (let step = 0; ; step += 1) {
      const views = await this.look(pimHost);
      for (const slot of this.shuffle(freeSlots(views, this.now(), here.busy))) {
        const lease = await this.take(pimHost, slot, here);
        if (lease) return lease;
      }
      const place = await this.standInLine(waiting, views);
      if (place) {
        const lease = await this.waitInLine(waiting, place);
        if (lease) return lease;
      } else {
        await this.wait(waiting, step);
      }
    }
  }

  /** Writes this call as the waiter of a taken slot; undefined when every place went to an earlier call. */
  private async standInLine(waiting: Waiting, views: readonly SlotView[]): Promise<Lease | undefined> {
    const { pimHost, here, since } = waiting;
    for (const slot of this.shuffle(placesInLine(views, this.now(), since, here.busy))) {
      here.busy.add(slot);
      const place = { slot, owner: this.newOwner() };
      const now = this.now();
      let stood = false;
      try {
        stood = await refusedAsFalse(() =>
          this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { pimHost, slot: String(slot) },
              UpdateExpression: 'SET waiter = :owner, waitingSince = :since, waiterUntil = :until',
              ConditionExpression:
                'attribute_exists(#owner) AND expiresAt >= :now AND ' +
                '(attribute_not_exists(waiter) OR waiterUntil < :nowMs OR waitingSince > :since)',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: {
                ':owner': place.owner,
                ':since': since,
                ':until': now + PLACE_IN_LINE_MS,
                ':now': leaseClock(now),
                ':nowMs': now,
              },
            }),
          ),
        );
      } finally {
        if (!stood) here.busy.delete(slot);
      }
      if (stood) return place;
    }
    return undefined;
  }

  /**
   * Looks at the slots in short steps until the holder hands the slot over. Gives the place up for a slot seen free
   * (its holder left with nobody in line), and returns undefined when the place was lost: taken by an earlier call,
   * or gone with a lease that ended; the caller looks for a slot again.
   */
  private async waitInLine(waiting: Waiting, place: Lease): Promise<Lease | undefined> {
    const { pimHost, here } = waiting;
    let renewed = this.now();
    for (;;) {
      try {
        await this.wait(waiting, 1);
      } catch (error) {
        await this.leaveLine(pimHost, here, place);
        throw error;
      }
      const views = await this.look(pimHost);
      const mine = views.find((view) => view.slot === place.slot);
      if (mine?.owner === place.owner) return place;
      if (mine?.waiterOwner !== place.owner) {
        here.busy.delete(place.slot);
        return undefined;
      }
      for (const slot of this.shuffle(freeSlots(views, this.now(), here.busy))) {
        const lease = await this.take(pimHost, slot, here);
        if (lease) {
          await this.leaveLine(pimHost, here, place);
          return lease;
        }
      }
      if (this.now() - renewed >= PLACE_RENEWAL_MS) {
        renewed = this.now();
        await this.renewPlace(pimHost, place, renewed);
      }
    }
  }

  /** Keeps the place in line from lapsing. A refusal is not an error: the next look shows what became of it. */
  private async renewPlace(pimHost: string, place: Lease, now: number): Promise<void> {
    await refusedAsFalse(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost, slot: String(place.slot) },
          UpdateExpression: 'SET waiterUntil = :until',
          ConditionExpression: 'waiter = :owner',
          ExpressionAttributeValues: { ':owner': place.owner, ':until': now + PLACE_IN_LINE_MS },
        }),
      ),
    );
  }

  /**
   * Gives a place in line up. When the slot was handed over in the meantime, it is this call's lease: released again
   * (to the next in line, or freed).
   */
  private async leaveLine(pimHost: string, here: PimHere, place: Lease): Promise<void> {
    try {
      const left = await refusedAsFalse(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pimHost, slot: String(place.slot) },
            UpdateExpression: 'REMOVE waiter, waitingSince, waiterUntil',
            ConditionExpression: 'waiter = :owner',
            ExpressionAttributeValues: { ':owner': place.owner },
          }),
        ),
      );
      if (!left) await this.release(pimHost, place);
    } finally {
      here.busy.delete(place.slot);
    }
  }

  /** One conditional write: the slot becomes this lease's if it is free or its lease has ended. */
  private async take(pimHost: string, slot: number, here: PimHere): Promise<Lease | undefined> {
    if (here.busy.has(slot)) return undefined;
    here.busy.add(slot);
    const lease = { slot, owner: this.newOwner() };
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
   * Hands the slot over to its waiter, or frees it when nobody waits, if the lease is still this one's. A waiter may
   * come or go between the two conditional writes, so they are tried again: a few rounds settle it. Both refused
   * every time means the lease had ended and the slot is someone else's now (or was removed by the time to live):
   * nothing to free. Any other failure is not the call's: the call's result stands, and the lease ends by itself.
   */
  private async release(pimHost: string, lease: Lease): Promise<void> {
    try {
      for (let round = 0; round < RELEASE_ROUNDS; round += 1) {
        if (await this.free(pimHost, lease)) return;
        if (await this.handOver(pimHost, lease)) return;
      }
    } catch {
      // See above: the lease frees the slot when it ends.
    }
  }

  /** Deletes the lease's item, if the lease holds it and nobody stands in line. False when refused. */
  private async free(pimHost: string, lease: Lease): Promise<boolean> {
    return refusedAsFalse(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pimHost, slot: String(lease.slot) },
          ConditionExpression: '#owner = :owner AND (attribute_not_exists(waiter) OR waiterUntil < :nowMs)',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': lease.owner, ':nowMs': this.now() },
        }),
      ),
    );
  }

  /** Makes the waiter the slot's holder, with a lease of its own, if the lease holds it. False when refused. */
  private async handOver(pimHost: string, lease: Lease): Promise<boolean> {
    const now = this.now();
    return refusedAsFalse(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pimHost, slot: String(lease.slot) },
          UpdateExpression: 'SET #owner = waiter, expiresAt = :expiresAt REMOVE waiter, waitingSince, waiterUntil',
          ConditionExpression: '#owner = :owner AND waiterUntil >= :nowMs',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':owner': lease.owner,
            ':nowMs': now,
            ':expiresAt': leaseExpiresAt(now, CALL_SLOT_LEASE_MS),
          },
        }),
      ),
    );
  }

  /** The PIM's slots as they are, read consistently: one Query of its few items. */
  private async look(pimHost: string): Promise<LookedSlot[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pimHost = :pimHost',
        ExpressionAttributeValues: { ':pimHost': pimHost },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => ({
      slot: Number(item.slot),
      expiresAt: Number(item.expiresAt),
      owner: item.owner as string | undefined,
      waiterOwner: item.waiter as string | undefined,
      ...(item.waiter !== undefined && {
        waiter: { since: Number(item.waitingSince), until: Number(item.waiterUntil) },
      }),
    }));
  }

  /** Waits one step before looking again, unless the caller's time, or the longest wait, would run out first. */
  private async wait(waiting: Waiting, step: number): Promise<void> {
    const delayMs = slotWaitMs(step, this.random());
    if (waiting.limits.waitBudgetMs && delayMs > waiting.limits.waitBudgetMs()) {
      throw new RetryBeyondTimeLeftError('call-slots', delayMs);
    }
    if (waiting.waitedMs + delayMs > MAX_CALL_SLOT_WAIT_MS) {
      throw new PimUnavailableError(
        `Every call slot of ${waiting.pimHost} stayed taken for ${Math.round(waiting.waitedMs / 1000)} s: other ` +
          `functions of the app keep its ${MAX_CONCURRENT_CALLS_PER_CONNECTION} concurrent calls busy`,
      );
    }
    await this.sleep(delayMs);
    waiting.waitedMs += delayMs;
  }

  private newOwner(): string {
    this.leases += 1;
    return `${this.instanceId}/${this.leases}`;
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
