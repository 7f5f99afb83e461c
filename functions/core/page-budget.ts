const MiB = 1024 * 1024;

/**
 * The sync worker's V8 old space (MiB). A bound keeps its memory flat over a long run (npm run bench); this one is
 * also what the page limits below are derived from, so the stack and the client cannot disagree.
 */
export const SYNC_WORKER_OLD_SPACE_MIB = 512;

/** How the stack starts the sync worker's Node.js; a small young generation promotes less. */
export const SYNC_WORKER_NODE_OPTIONS: readonly string[] = [
  `--max-old-space-size=${SYNC_WORKER_OLD_SPACE_MIB}`,
  '--max-semi-space-size=2',
];

/*
 * What one page costs the worker's heap, measured on its own pipeline (download, JSON.parse, NDJSON write, with the
 * next page read ahead): the smallest old space in which three pages in a row complete, Node 20.
 *   - products of short values (booleans, codes: many small objects)        8 MiB pages: 96 to 128 MiB
 *   - products of long texts (few objects)                                 16 MiB pages: under 128 MiB
 *   - 4 MiB pages of 1,000,000 empty objects, the costliest JSON per byte                  192 to 256 MiB
 * which 6 bytes of heap per byte of page plus 240 bytes per object or array bounds in every case. Parsing is not the
 * whole cost: the text, the objects, their NDJSON and the page read ahead are alive at once.
 * test/integration/sync-page-budget.test.ts runs pages at both limits in a process with these flags.
 */
const HEAP_PER_PAGE_BYTE = 6;
const HEAP_PER_OBJECT = 240;
/** Half the old space for the pages in flight; the rest for the runtime, the SDK clients and the collector's room. */
const PAGE_HEAP_BUDGET = (SYNC_WORKER_OLD_SPACE_MIB * MiB) / 2;

/**
 * The largest answer the worker accepts: 100 products of 160 KB of JSON each, far beyond any real catalog; a catalog's
 * page of 1,000 (Catalogs for Apps) fits while its products average under 16 KB of JSON each.
 */
export const MAX_PAGE_BYTES = 16 * MiB;

/** The most objects and arrays one answer may hold: what the heap budget leaves once a page's bytes are paid for. */
export const MAX_PAGE_CONTAINERS = Math.floor(
  (PAGE_HEAP_BUDGET - HEAP_PER_PAGE_BYTE * MAX_PAGE_BYTES) / HEAP_PER_OBJECT,
);
