import type { ProductSink, ReconciliationSummary, RunRef, RunSummary } from '../../functions/adapters/product-sink';
import type { ManifestLocation } from '../../functions/contract/run-completed-event';

/** A sink and the reader of what it wrote, as whoever consumes the exports would read it. */
export interface SinkUnderTest {
  readonly sink: ProductSink;
  /** The run's parts as a reader finds them, by part number: the products, parsed back. */
  readParts(run: RunRef): Promise<ReadonlyMap<number, unknown[]>>;
  /** A reconciliation pass's parts of deleted products as a reader finds them, by part number: each line parsed. */
  readDeletedParts(run: RunRef): Promise<ReadonlyMap<number, unknown[]>>;
  /** The run's manifest as a reader finds it; undefined while there is none. */
  readManifest(run: RunRef): Promise<ManifestRead | ReconciliationManifestRead | undefined>;
  /** Everything the sink left for the run (objects, files), by name: parts and manifest, nothing half-written. */
  names(run: RunRef): Promise<string[]>;
  /**
   * The text at a location `completeRun` returned, read as a consumer of the run-completed event would (its `uri`
   * included); throws for a location the medium cannot read.
   */
  readAt(location: ManifestLocation): Promise<string>;
}

/** What every manifest of a sync run says, whatever the sink's own fields. */
export interface ManifestRead {
  readonly kind: 'sync';
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly runId: string;
  readonly window: { readonly from?: string; readonly to: string };
  readonly parts: ReadonlyArray<{ readonly productCount: number }>;
  readonly productCount: number;
  readonly rereadCount: number;
  readonly startedAt: string;
  readonly completedAt: string;
}

/** What every manifest of a reconciliation pass says. */
export interface ReconciliationManifestRead {
  readonly kind: 'reconciliation';
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly runId: string;
  readonly source: 'products' | 'catalog';
  readonly catalogId?: string;
  readonly previousRunId?: string;
  readonly listedCount: number;
  readonly deletedCount: number;
  readonly parts: ReadonlyArray<{ readonly uuidCount: number }>;
  readonly startedAt: string;
  readonly completedAt: string;
}

let runs = 0;
/** A run of its own for each test: the suite shares one sink. */
function newRun(pimHost = 'pim.example.com'): RunRef {
  runs += 1;
  return { pimHost, runId: `20261128T120000Z-${String(runs).padStart(4, '0')}` };
}

const products = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({ uuid: `${prefix}-${index}`, values: { name: [{ data: prefix }] } }));

function summary(parts: ReadonlyArray<readonly [number, number]>, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    pimUrl: 'https://pim.example.com',
    window: { from: '2026-11-28T11:44:55.000Z', to: '2026-11-28T12:00:00.000Z' },
    parts: parts.map(([partNumber, productCount]) => ({ partNumber, productCount })),
    rereadCount: 1,
    startedAt: '2026-11-28T12:00:00.000Z',
    completedAt: '2026-11-28T12:00:09.000Z',
    ...overrides,
  };
}

const uuids = (first: number, count: number) =>
  Array.from({ length: count }, (_, index) => `00000000-0000-4000-8000-${String(first + index).padStart(12, '0')}`);

function reconciliation(
  parts: ReadonlyArray<readonly [number, number]>,
  overrides: Partial<ReconciliationSummary> = {},
): ReconciliationSummary {
  return {
    pimUrl: 'https://pim.example.com',
    source: { kind: 'catalog', catalogId: '1a2b3c4d-0000-4000-8000-000000000001' },
    listedCount: 1_000,
    parts: parts.map(([partNumber, uuidCount]) => ({ partNumber, uuidCount })),
    previousRunId: '20261127T120000Z-0000',
    startedAt: '2026-11-28T12:00:00.000Z',
    completedAt: '2026-11-28T12:00:09.000Z',
    ...overrides,
  };
}

/**
 * What every ProductSink must do (see its interface): each part readable back with its products, a part written again
 * replaces the first one, the manifest appears only when the run completes and lists every part with its count, and
 * completing a run again replaces its manifest. Each sink's test file runs it on its own medium.
 */
export function productSinkContract(makeSink: () => Promise<SinkUnderTest>): void {
  let under: SinkUnderTest;

  beforeAll(async () => {
    under = await makeSink();
  });

  it('keeps each part readable with its products, as the PIM sent them', async () => {
    const run = newRun();
    const odd = [{ uuid: 'x', values: { description: [{ data: 'two\nlines, "quoted", \u2028 and ünïcode' }] } }];
    await under.sink.writePart(run, 1, products('a', 3));
    await under.sink.writePart(run, 2, products('b', 2));
    await under.sink.writePart(run, 3, odd);

    const parts = await under.readParts(run);

    expect([...parts.keys()].sort()).toEqual([1, 2, 3]);
    expect(parts.get(1)).toEqual(products('a', 3));
    expect(parts.get(2)).toEqual(products('b', 2));
    expect(parts.get(3)).toEqual(odd);
  });

  it('replaces a part written again with the same number: a retried run never appends', async () => {
    const run = newRun();
    await under.sink.writePart(run, 1, products('first', 3));
    await under.sink.writePart(run, 1, products('again', 2));

    expect((await under.readParts(run)).get(1)).toEqual(products('again', 2));
  });

  it('shows no manifest until the run completes', async () => {
    const run = newRun();
    await under.sink.writePart(run, 1, products('a', 2));
    await under.sink.writePart(run, 2, products('b', 1));

    await expect(under.readManifest(run)).resolves.toBeUndefined();
    expect(await under.names(run)).toHaveLength(2);
  });

  it('completes a run with one manifest that lists every part with its count, after the parts', async () => {
    const run = newRun();
    await under.sink.writePart(run, 1, products('a', 3));
    await under.sink.writePart(run, 2, products('b', 2));

    await under.sink.completeRun(
      run,
      summary([
        [1, 3],
        [2, 2],
      ]),
    );

    expect(await under.readManifest(run)).toMatchObject({
      kind: 'sync',
      pimHost: run.pimHost,
      pimUrl: 'https://pim.example.com',
      runId: run.runId,
      window: { from: '2026-11-28T11:44:55.000Z', to: '2026-11-28T12:00:00.000Z' },
      parts: [{ productCount: 3 }, { productCount: 2 }],
      productCount: 5,
      rereadCount: 1,
      startedAt: '2026-11-28T12:00:00.000Z',
      completedAt: '2026-11-28T12:00:09.000Z',
    });
    expect(await under.names(run)).toHaveLength(3);
  });

  it('replaces the manifest when the same run completes again (a retried last step): still one manifest', async () => {
    const run = newRun();
    await under.sink.writePart(run, 1, products('a', 3));
    await under.sink.completeRun(run, summary([[1, 3]]));
    await under.sink.writePart(run, 1, products('again', 2));

    await under.sink.completeRun(run, summary([[1, 2]], { completedAt: '2026-11-28T12:05:00.000Z' }));

    expect(await under.readManifest(run)).toMatchObject({
      parts: [{ productCount: 2 }],
      productCount: 2,
      completedAt: '2026-11-28T12:05:00.000Z',
    });
    expect((await under.readParts(run)).get(1)).toEqual(products('again', 2));
    expect(await under.names(run)).toHaveLength(2);
  });

  it("says where the completed run's manifest is: a consumer reads it there", async () => {
    const run = newRun();
    await under.sink.writePart(run, 1, products('a', 2));

    const location = await under.sink.completeRun(run, summary([[1, 2]]));

    expect(JSON.parse(await under.readAt(location))).toEqual(await under.readManifest(run));
  });

  it('completes a run that found nothing with a manifest of no part', async () => {
    const run = newRun();

    await under.sink.completeRun(run, summary([], { rereadCount: 0, window: { to: '2026-11-28T12:00:00.000Z' } }));

    expect(await under.readManifest(run)).toMatchObject({
      parts: [],
      productCount: 0,
      window: { to: expect.any(String) },
    });
    expect(((await under.readManifest(run)) as ManifestRead | undefined)?.window.from).toBeUndefined();
    expect((await under.readParts(run)).size).toBe(0);
  });

  it("keeps an events run's deleted products beside its parts, named in its manifest", async () => {
    const run = newRun();
    await under.sink.writePart(run, 1, products('a', 1));
    await under.sink.writeDeleted(run, ['uuid-1', 'uuid-2']);

    await under.sink.completeRun(run, summary([[1, 1]], { kind: 'events', deletedCount: 2, rereadCount: 0 }));

    expect(await under.readManifest(run)).toMatchObject({
      kind: 'events',
      productCount: 1,
      deleted: { name: 'deleted.ndjson', productCount: 2 },
    });
    expect((await under.names(run)).filter((name) => name.endsWith('deleted.ndjson'))).toHaveLength(1);
  });

  it('keeps runs and PIMs apart, PIMs on the same host with another port included', async () => {
    const first = newRun('localhost:3001');
    const second = { pimHost: 'localhost:3002', runId: first.runId };
    const later = newRun('localhost:3001');
    await under.sink.writePart(first, 1, products('first', 1));
    await under.sink.writePart(second, 1, products('second', 1));
    await under.sink.writePart(later, 1, products('later', 1));
    await under.sink.completeRun(first, summary([[1, 1]]));

    expect((await under.readParts(first)).get(1)).toEqual(products('first', 1));
    expect((await under.readParts(second)).get(1)).toEqual(products('second', 1));
    expect((await under.readParts(later)).get(1)).toEqual(products('later', 1));
    await expect(under.readManifest(second)).resolves.toBeUndefined();
    await expect(under.readManifest(later)).resolves.toBeUndefined();
  });

  it('keeps a pass\'s deleted parts readable: one {"uuid"} per line, in the order given', async () => {
    const run = newRun();
    await under.sink.writeDeletedPart(run, 1, uuids(1, 3));
    await under.sink.writeDeletedPart(run, 2, uuids(10, 1));

    const parts = await under.readDeletedParts(run);

    expect([...parts.keys()].sort()).toEqual([1, 2]);
    expect(parts.get(1)).toEqual(uuids(1, 3).map((uuid) => ({ uuid })));
    expect(parts.get(2)).toEqual(uuids(10, 1).map((uuid) => ({ uuid })));
    expect((await under.readParts(run)).size).toBe(0);
  });

  it('replaces a deleted part written again with the same number: a resumed pass never appends', async () => {
    const run = newRun();
    await under.sink.writeDeletedPart(run, 1, uuids(1, 3));
    await under.sink.writeDeletedPart(run, 1, uuids(5, 2));

    expect((await under.readDeletedParts(run)).get(1)).toEqual(uuids(5, 2).map((uuid) => ({ uuid })));
  });

  it('completes a pass with one manifest that says it is a reconciliation and lists each deleted part', async () => {
    const run = newRun();
    await under.sink.writeDeletedPart(run, 1, uuids(1, 3));
    await under.sink.writeDeletedPart(run, 2, uuids(20, 2));
    await expect(under.readManifest(run)).resolves.toBeUndefined();

    const location = await under.sink.completeReconciliation(
      run,
      reconciliation([
        [1, 3],
        [2, 2],
      ]),
    );

    const manifest = await under.readManifest(run);
    expect(manifest).toMatchObject({
      kind: 'reconciliation',
      pimHost: run.pimHost,
      pimUrl: 'https://pim.example.com',
      runId: run.runId,
      source: 'catalog',
      catalogId: '1a2b3c4d-0000-4000-8000-000000000001',
      previousRunId: '20261127T120000Z-0000',
      listedCount: 1_000,
      deletedCount: 5,
      parts: [{ uuidCount: 3 }, { uuidCount: 2 }],
      startedAt: '2026-11-28T12:00:00.000Z',
      completedAt: '2026-11-28T12:00:09.000Z',
    });
    expect(JSON.parse(await under.readAt(location))).toEqual(manifest);
    expect(await under.names(run)).toHaveLength(3);
  });

  it('completes a first pass, which compares with nothing, with a manifest of no part and no previous run', async () => {
    const run = newRun();

    await under.sink.completeReconciliation(
      run,
      reconciliation([], { source: { kind: 'products' }, previousRunId: undefined }),
    );

    const manifest = await under.readManifest(run);
    expect(manifest).toMatchObject({ kind: 'reconciliation', source: 'products', deletedCount: 0, parts: [] });
    expect(manifest).not.toHaveProperty('previousRunId');
    expect(manifest).not.toHaveProperty('catalogId');
    expect(await under.names(run)).toHaveLength(1);
  });
}
