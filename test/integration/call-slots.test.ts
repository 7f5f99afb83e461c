import { randomUUID } from 'node:crypto';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCallSlots, type DynamoDbCallSlotsOptions } from '../../functions/adapters/call-slots';
import { AkeneoRestClient } from '../../functions/akeneo/rest-client';
import { RetryBeyondTimeLeftError } from '../../functions/akeneo/rest-errors';
import { loadConfig } from '../../functions/config';
import { MAX_SLOT_WAIT_STEP_MS } from '../../functions/core/call-slot-lease';
import { PimUnavailableError } from '../../functions/core/errors';
import { CALL_SLOT_LEASE_MS, MAX_CALL_SLOT_WAIT_MS } from '../../functions/core/fair-use';
import { ensureTables } from '../../local/tables';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { countDynamoDbCalls, type DynamoDbCalls } from '../support/dynamodb-calls';
import { startFakePim } from '../support/fake-pim';

/** A call that settles when the test says so. */
function deferred(): { promise: Promise<string>; resolve: (value: string) => void; reject: (error: Error) => void } {
  let resolve: (value: string) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const T0 = Date.parse('2026-11-30T10:00:00Z');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; fails after 30 s rather than poll forever (a broken slot must end the test run). */
async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Never happened within 30 s: ${what}`);
    await pause(20);
  }
}

/**
 * Each `DynamoDbCallSlots` here is one function instance (its own DynamoDB client, its own id), as separate Lambda
 * instances would be: they share nothing but the table in DynamoDB Local.
 */
describe("a PIM's call slots, shared by function instances through DynamoDB", () => {
  const tables = uniqueTableNames();
  const config = loadConfig({
    APP_MODE: 'local',
    DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
    STATES_TABLE_NAME: tables.statesTableName,
    CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
    CALL_SLOTS_TABLE_NAME: tables.callSlotsTableName,
  });
  const documents = testDocumentClient();

  beforeAll(() => ensureTables(documents, config));

  /** One instance, and what it asks of DynamoDB. */
  function instance(options: Partial<DynamoDbCallSlotsOptions> = {}): {
    slots: DynamoDbCallSlots;
    calls: DynamoDbCalls;
  } {
    const client = testDocumentClient();
    const calls = countDynamoDbCalls(client);
    return { slots: new DynamoDbCallSlots({ client, tableName: tables.callSlotsTableName, ...options }), calls };
  }

  /** The PIM's slot items as stored, waiters included, read directly. */
  async function slotItemsOf(pimHost: string): Promise<Array<Record<string, unknown>>> {
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: tables.callSlotsTableName,
        KeyConditionExpression: 'pimHost = :pimHost',
        ExpressionAttributeValues: { ':pimHost': pimHost },
        ConsistentRead: true,
      }),
    );
    return Items;
  }

  /** The leases in the table for that PIM. */
  async function leasesOf(pimHost: string): Promise<Array<{ slot: string; owner: string }>> {
    return (await slotItemsOf(pimHost)).map((item) => ({ slot: String(item.slot), owner: String(item.owner) }));
  }

  /**
   * `count` calls of `slots` on the PIM that hold their slot until the test settles them. Each must find a free slot
   * at once (no time to wait): a slot that is not free fails the test instead of waiting for it.
   */
  async function holdSlots(slots: DynamoDbCallSlots, pimHost: string, count: number) {
    const calls = Array.from({ length: count }, () => deferred());
    let started = 0;
    let allStarted: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const runs = calls.map((call) =>
      slots.run(
        pimHost,
        () => {
          started += 1;
          if (started === count) allStarted();
          return call.promise;
        },
        { waitBudgetMs: () => 0 },
      ),
    );
    await Promise.race([
      holding,
      ...runs.map((run) => run.then(() => Promise.reject(new Error('A held call settled early')))),
    ]);
    return { calls, runs };
  }

  const newPim = () => `pim-${randomUUID().slice(0, 8)}.example.com`;

  it('lets at most 4 calls of a PIM run at once across 5 instances, and runs every call', async () => {
    const pimHost = newPim();
    let running = 0;
    let peak = 0;
    // Calls hold their slot until 4 run at once (or a while has passed), so the bound is reached however slowly
    // DynamoDB Local answers on a busy machine; from then on they are short.
    let fourRunning: () => void = () => undefined;
    const four = new Promise<void>((resolve) => {
      fourRunning = resolve;
    });
    const call = (id: string) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      if (running === 4) fourRunning();
      await Promise.race([four, pause(3_000)]);
      await pause(5);
      running -= 1;
      return id;
    };

    const results = await Promise.all(
      Array.from({ length: 5 }, (_instance, i) => {
        const { slots } = instance();
        return Promise.all(Array.from({ length: 6 }, (_call, j) => slots.run(pimHost, call(`${i}.${j}`))));
      }),
    );

    // Exactly 4: at most 4 is the rule, and reaching 4 shows the 30 calls did overlap, so the bound was tested.
    expect(peak).toBe(4);
    expect(results.flat()).toHaveLength(30);
    expect(await leasesOf(pimHost)).toEqual([]);
  });

  it('serves a waiting instance in its turn while another keeps every slot busy: no waiter starves', async () => {
    const pimHost = newPim();
    let started = 0;
    let busy = true;
    /** An instance whose 4 lanes each call the PIM again as soon as their last call ends, until the test ends. */
    const hog = () => {
      const { slots } = instance();
      return Promise.all(
        Array.from({ length: 4 }, async () => {
          while (busy) {
            await slots.run(pimHost, async () => {
              started += 1;
              await pause(100);
            });
          }
        }),
      );
    };
    const hogs = [hog()];
    const waiter = instance().slots;
    const overtakenBy: number[] = [];
    try {
      await eventually(() => started >= 16, 'the other instance made 16 calls');
      const gaveUpAt = Date.now() + 30_000;
      for (let call = 0; call < 5; call += 1) {
        const before = started;
        await waiter.run(
          pimHost,
          async () => {
            overtakenBy.push(started - before);
          },
          { waitBudgetMs: () => gaveUpAt - Date.now() },
        );
      }
    } finally {
      busy = false;
      await Promise.all(hogs);
    }

    // In its turn: the calls that started while it waited are those of the 4 slots' holders and of the waiters that
    // came before it (at most one each of the others' 8 lanes), and a few while it found its place in the queue.
    expect(Math.max(...overtakenBy)).toBeLessThanOrEqual(24);
    expect(await leasesOf(pimHost)).toEqual([]);
  });

  it("keeps each PIM's slots apart", async () => {
    const full = newPim();
    const { slots } = instance();
    const held = await holdSlots(slots, full, 4);

    await expect(instance().slots.run(newPim(), async () => 'other PIM', { waitBudgetMs: () => 0 })).resolves.toBe(
      'other PIM',
    );

    for (const call of held.calls) call.resolve('done');
    await Promise.all(held.runs);
  });

  it('costs one conditional put and one delete per call on a PIM nobody else calls, and never reads', async () => {
    const pimHost = newPim();
    const { slots, calls } = instance();

    for (let index = 0; index < 5; index += 1) await slots.run(pimHost, async () => index);
    await Promise.all(Array.from({ length: 12 }, (_value, index) => slots.run(pimHost, async () => index)));

    expect(calls.byOperation).toEqual({ PutItem: { ok: 17, refused: 0 }, DeleteItem: { ok: 17, refused: 0 } });
    // The in-process limit comes first: this instance never asks DynamoDB for more than 4 slots at once.
    expect(calls.maxInFlight).toBe(4);
  });

  it('frees the slots of an instance that never releases them once their leases end', async () => {
    const pimHost = newPim();
    const dead = instance({ now: () => T0 });
    await holdSlots(dead.slots, pimHost, 4);

    const before = instance({ now: () => T0 + CALL_SLOT_LEASE_MS - 1000 });
    const refused = before.slots.run(pimHost, async () => 'too early', { waitBudgetMs: () => 0 });
    await expect(refused).rejects.toBeInstanceOf(RetryBeyondTimeLeftError);
    await expect(refused).rejects.toMatchObject({ status: 'call-slots' });

    const after = instance({ now: () => T0 + CALL_SLOT_LEASE_MS + 1000 });
    const results = await Promise.all(
      Array.from({ length: 4 }, (_value, index) =>
        after.slots.run(pimHost, async () => index, { waitBudgetMs: () => 0 }),
      ),
    );

    expect(results).toEqual([0, 1, 2, 3]);
    expect(before.calls.byOperation.PutItem).toEqual({ ok: 0, refused: 1 });
    expect(after.calls.byOperation.PutItem?.ok).toBe(4);
  });

  it("refuses a release by an instance whose lease has ended: the slot stays its new holder's", async () => {
    const pimHost = newPim();
    const late = await holdSlots(instance({ now: () => T0, instanceId: 'late' }).slots, pimHost, 4);
    const next = await holdSlots(
      instance({ now: () => T0 + CALL_SLOT_LEASE_MS + 1000, instanceId: 'next' }).slots,
      pimHost,
      1,
    );

    for (const call of late.calls) call.resolve('finally done');
    await Promise.all(late.runs);

    // The late instance freed its three slots that were still its own, and not the one taken over.
    expect(await leasesOf(pimHost)).toEqual([{ slot: expect.any(String), owner: expect.stringMatching(/^next\//) }]);
    next.calls[0]?.resolve('done');
    await Promise.all(next.runs);
    expect(await leasesOf(pimHost)).toEqual([]);
  });

  /** Four instances that hold one slot each until the test settles them, by the slot each holds. */
  async function holdEverySlot(pimHost: string) {
    const holders = await Promise.all(
      [0, 1, 2, 3].map(async (index) => {
        const id = `holder-${index}`;
        return { id, ...(await holdSlots(instance({ instanceId: id }).slots, pimHost, 1)) };
      }),
    );
    const items = await slotItemsOf(pimHost);
    const holderOf = (slot: string) => {
      const owner = String(items.find((item) => item.slot === slot)?.owner);
      const holder = holders.find((candidate) => owner.startsWith(`${candidate.id}/`));
      if (!holder) throw new Error(`Nobody holds slot ${slot}`);
      return holder;
    };
    const endAll = async () => {
      for (const holder of holders) holder.calls[0]?.resolve('done');
      await Promise.all(holders.flatMap((holder) => holder.runs));
    };
    return { holderOf, endAll };
  }

  /** The slot a waiter stands in line for, and the item's waiter. */
  async function placeOf(pimHost: string): Promise<{ slot: string; waiter: string } | undefined> {
    const item = (await slotItemsOf(pimHost)).find((candidate) => candidate.waiter !== undefined);
    return item && { slot: String(item.slot), waiter: String(item.waiter) };
  }

  it('stands a call in line when every slot is taken, and its holder hands the slot over on release', async () => {
    const pimHost = newPim();
    const held = await holdEverySlot(pimHost);
    const steps: number[] = [];
    let place: { slot: string; waiter: string } | undefined;
    const waiter = instance({
      instanceId: 'waiter',
      sleep: async (ms) => {
        steps.push(ms);
        if (steps.length === 3) {
          place = await placeOf(pimHost);
          const holder = held.holderOf(String(place?.slot));
          holder.calls[0]?.resolve('done');
          await holder.runs[0];
        }
      },
    });

    const result = await waiter.slots.run(pimHost, async () => (await slotItemsOf(pimHost)).map((item) => item.owner));

    expect(place?.waiter).toMatch(/^waiter\//);
    // The call ran in the slot it stood in line for, handed over: no other write took it.
    expect(result).toContain(place?.waiter);
    expect(waiter.calls.byOperation.PutItem).toEqual({ ok: 0, refused: 1 });
    expect(waiter.calls.byOperation.UpdateItem).toEqual({ ok: 1, refused: 0 });
    expect(steps).toHaveLength(3);
    for (const step of steps) expect(step).toBeGreaterThan(0);
    for (const step of steps) expect(step).toBeLessThanOrEqual(MAX_SLOT_WAIT_STEP_MS);
    await held.endAll();
    expect(await leasesOf(pimHost)).toEqual([]);
  });

  it('takes a slot freed elsewhere while it stands in line, and gives its place up', async () => {
    const pimHost = newPim();
    const held = await holdEverySlot(pimHost);
    let looks = 0;
    let place: { slot: string; waiter: string } | undefined;
    const waiter = instance({
      instanceId: 'waiter',
      sleep: async () => {
        looks += 1;
        if (looks === 2) {
          place = await placeOf(pimHost);
          const other = ['0', '1', '2', '3'].find((slot) => slot !== place?.slot) as string;
          const holder = held.holderOf(other);
          holder.calls[0]?.resolve('done');
          await holder.runs[0];
        }
      },
    });

    await expect(waiter.slots.run(pimHost, async () => 'ran')).resolves.toBe('ran');

    expect(place?.waiter).toMatch(/^waiter\//);
    expect(waiter.calls.byOperation.PutItem).toEqual({ ok: 1, refused: 1 });
    // In line, then out of it.
    expect(waiter.calls.byOperation.UpdateItem).toEqual({ ok: 2, refused: 0 });
    expect(await placeOf(pimHost)).toBeUndefined();
    await held.endAll();
    expect(await leasesOf(pimHost)).toEqual([]);
  });

  it("gives a later call's place to an earlier one, and serves them both", async () => {
    const pimHost = newPim();
    const held = await holdEverySlot(pimHost);
    let later: Array<Promise<string>> = [];
    let earlier: Promise<string> | undefined;
    try {
      // Four calls that started looking 2 s from now by their clocks take every place in line...
      later = Array.from({ length: 4 }, (_value, index) =>
        instance({ instanceId: `later-${index}`, now: () => Date.now() + 2_000 }).slots.run(
          pimHost,
          async () => 'later',
        ),
      );
      await eventually(
        async () => (await slotItemsOf(pimHost)).filter((item) => item.waiter !== undefined).length === 4,
        'four later calls stand in line',
      );
      // ...and one that started 2 s ago takes the place of one of them.
      earlier = instance({ instanceId: 'earlier', now: () => Date.now() - 2_000 }).slots.run(
        pimHost,
        async () => 'earlier',
      );
      await eventually(
        async () => (await slotItemsOf(pimHost)).some((item) => String(item.waiter).startsWith('earlier/')),
        'the earlier call takes a place',
      );

      const waiters = (await slotItemsOf(pimHost)).map((item) => String(item.waiter).split('/')[0]);
      expect(waiters.filter((owner) => owner === 'earlier')).toHaveLength(1);
      expect(waiters.filter((owner) => owner.startsWith('later-'))).toHaveLength(3);
    } finally {
      await held.endAll();
    }
    await expect(Promise.all([earlier, ...later])).resolves.toEqual(['earlier', 'later', 'later', 'later', 'later']);
    expect(await leasesOf(pimHost)).toEqual([]);
  });

  it("frees its slot when its waiter leaves the line between the release's two writes", async () => {
    const pimHost = newPim();
    const client = testDocumentClient();
    const waiterLeaves = () =>
      documents.send(
        new UpdateCommand({
          TableName: tables.callSlotsTableName,
          Key: { pimHost, slot: '0' },
          UpdateExpression: 'REMOVE waiter, waitingSince, waiterUntil',
        }),
      );
    let left = false;
    // The waiter leaves just after the free was refused because of it, before the hand-over.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (context.commandName === 'DeleteItemCommand' && !left) {
            left = true;
            await waiterLeaves();
          }
          throw error;
        }
      },
      { step: 'initialize', name: 'waiterLeavesMidRelease' },
    );
    const holder = new DynamoDbCallSlots({ client, tableName: tables.callSlotsTableName, random: () => 0 });

    await holder.run(pimHost, async () => {
      await documents.send(
        new UpdateCommand({
          TableName: tables.callSlotsTableName,
          Key: { pimHost, slot: '0' },
          UpdateExpression: 'SET waiter = :waiter, waitingSince = :since, waiterUntil = :until',
          ExpressionAttributeValues: { ':waiter': 'gone/1', ':since': Date.now(), ':until': Date.now() + 5_000 },
        }),
      );
    });

    expect(left).toBe(true);
    expect(await leasesOf(pimHost)).toEqual([]);
  });

  it("gives up when the caller's time or the longest wait runs out, and takes nothing", async () => {
    const pimHost = newPim();
    const holder = await holdSlots(instance({ instanceId: 'holder' }).slots, pimHost, 4);
    let called = false;
    const call = async () => {
      called = true;
    };
    let waitedMs = 0;
    const fastClock = instance({
      sleep: async (ms) => {
        waitedMs += ms;
      },
      random: () => 1,
    });

    let left = 2_000;
    await expect(fastClock.slots.run(pimHost, call, { waitBudgetMs: () => left - waitedMs })).rejects.toBeInstanceOf(
      RetryBeyondTimeLeftError,
    );
    expect(waitedMs).toBeLessThanOrEqual(left);
    waitedMs = 0;
    left = Number.POSITIVE_INFINITY;
    await expect(fastClock.slots.run(pimHost, call)).rejects.toBeInstanceOf(PimUnavailableError);
    expect(waitedMs).toBeGreaterThan(MAX_CALL_SLOT_WAIT_MS - MAX_SLOT_WAIT_STEP_MS);
    expect(waitedMs).toBeLessThanOrEqual(MAX_CALL_SLOT_WAIT_MS);

    expect(called).toBe(false);
    expect(fastClock.calls.byOperation.PutItem?.ok ?? 0).toBe(0);
    // It stood in line meanwhile, and left the line when it gave up.
    expect(fastClock.calls.byOperation.UpdateItem?.ok).toBeGreaterThan(0);
    expect(await placeOf(pimHost)).toBeUndefined();
    expect((await leasesOf(pimHost)).map((lease) => lease.owner)).toEqual(
      Array.from({ length: 4 }, () => expect.stringMatching(/^holder\//)),
    );
    for (const held of holder.calls) held.resolve('done');
    await Promise.all(holder.runs);
  });

  it("bounds a REST client's wait for a slot by its caller's time left: it fails before reaching the PIM", async () => {
    let requests = 0;
    const pim = await startFakePim((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    const pimHost = new URL(pim.url).host;
    const holder = await holdSlots(instance().slots, pimHost, 4);
    let sleptMs = 0;
    const client = new AkeneoRestClient({
      pimUrl: pim.url,
      accessToken: 'token',
      callSlots: instance({
        sleep: async (ms) => {
          sleptMs += ms;
        },
      }).slots,
      waitBudgetMs: () => 1_000 - sleptMs,
    });
    try {
      await expect(client.getJson(`${pim.url}/api/rest/v1/products-uuid`)).rejects.toMatchObject({
        code: 'retry_beyond_time_left',
        status: 'call-slots',
      });
      expect(sleptMs).toBeLessThanOrEqual(1_000);
      expect(requests).toBe(0);
    } finally {
      for (const call of holder.calls) call.resolve('done');
      await Promise.all(holder.runs);
      await client.close();
      await pim.close();
    }
  });

  it('frees the slot when the call fails, and passes the failure on', async () => {
    const pimHost = newPim();
    const { slots } = instance();

    await expect(slots.run(pimHost, async () => Promise.reject(new Error('the PIM failed')))).rejects.toThrow(
      'the PIM failed',
    );

    expect(await leasesOf(pimHost)).toEqual([]);
  });

  it('makes no call when DynamoDB cannot take the slot', async () => {
    const slots = new DynamoDbCallSlots({ client: testDocumentClient(), tableName: `missing-${randomUUID()}` });
    let called = false;

    await expect(
      slots.run(newPim(), async () => {
        called = true;
      }),
    ).rejects.toThrow(/non-existent table|not found/i);
    expect(called).toBe(false);
  });
});
