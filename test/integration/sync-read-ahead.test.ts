import { type SyncOutcome, syncProducts } from '../../functions/use-cases/sync-products';
import { type FakePim, startFakePim } from '../support/fake-pim';
import { phpJson } from '../support/php-json';
import { syncTestBed } from '../support/sync-test-bed';

const PAGES = 3;
const PER_PAGE = 100;
const TOKEN = 'read-ahead-token';

function productsOf(page: number) {
  return Array.from({ length: PER_PAGE }, (_, index) => ({ uuid: `p${page}-${index}`, identifier: `SKU-${page}` }));
}

/**
 * How the worker reads a chain of search_after pages, over real HTTP against a PIM that controls when each part of
 * its answers is sent: the next page is asked for as soon as the start of an answer names it. The connection lives
 * in DynamoDB Local, the token is sealed with the local key, the parts go to a local directory.
 */
describe('reading the next product page ahead', () => {
  const bed = syncTestBed('read-ahead-');

  /** Runs the sync to its end; with `stepTimeMs`, each step has too little time for more than one page. */
  async function runSync(
    pim: FakePim,
    { onePagePerStep = false } = {},
  ): Promise<{ outcome: SyncOutcome; uuids: string[]; steps: number }> {
    const pimHost = await bed.saveConnection(pim, TOKEN);
    const step = syncProducts({ ...bed.stepBase(), reserveMs: onePagePerStep ? 1_000 : 0 });
    const timeLeftMs = () => (onePagePerStep ? 999 : 60_000);
    let outcome = await step({ pimHost, timeLeftMs });
    let steps = 1;
    while (outcome.kind === 'continued') {
      outcome = await step({ pimHost, runId: outcome.runId, timeLeftMs });
      steps += 1;
    }
    if (outcome.kind !== 'completed') throw new Error(`Expected a completed run, got ${JSON.stringify(outcome)}`);
    const uuids = bed.exportedUuids(pimHost, outcome);
    return { outcome, uuids, steps };
  }

  const everyProduct = Array.from({ length: PAGES }, (_, page) => productsOf(page + 1).map((p) => p.uuid)).flat();

  it('asks for the next page before the current answer has finished arriving, and exports every product once', async () => {
    const requested: number[] = [];
    let waitingTail: (() => void) | undefined;
    let nextAskedWhileTailHeld = false;
    const pim = await startFakePim((request, response) => {
      const url = new URL(request.url ?? '/', 'http://pim');
      const page = Number(url.searchParams.get('search_after') ?? 1);
      requested.push(page);
      if (request.headers.authorization !== `Bearer ${TOKEN}`) return void response.writeHead(401).end('{}');
      if (waitingTail) {
        nextAskedWhileTailHeld = true;
        waitingTail();
      }
      const next =
        page < PAGES
          ? `${pim.url}/api/rest/v1/products-uuid?pagination_type=search_after&limit=100&search_after=${page + 1}`
          : undefined;
      const body = phpJson({
        _links: { self: { href: 'x' }, ...(next ? { next: { href: next } } : {}) },
        _embedded: { items: productsOf(page) },
      });
      const cut = body.indexOf('"_embedded"') + 20;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(body.slice(0, cut));
      // The tail of a page that has a next one waits for that next request (or gives up after a second).
      const sendTail = () => {
        waitingTail = undefined;
        response.end(body.slice(cut));
      };
      if (next === undefined) sendTail();
      else {
        waitingTail = sendTail;
        setTimeout(() => waitingTail === sendTail && sendTail(), 1000).unref();
      }
    });
    try {
      const { outcome, uuids } = await runSync(pim);
      expect(nextAskedWhileTailHeld).toBe(true);
      expect(requested).toEqual([1, 2, 3]);
      expect(outcome).toMatchObject({ kind: 'completed', productCount: PAGES * PER_PAGE, parts: PAGES });
      expect(uuids).toEqual(everyProduct);
    } finally {
      await pim.close();
    }
  });

  it('follows the parsed link when the items come before the links (no early link to read)', async () => {
    const requested: number[] = [];
    const pim = await startFakePim((request, response) => {
      const page = Number(new URL(request.url ?? '/', 'http://pim').searchParams.get('search_after') ?? 1);
      requested.push(page);
      const next =
        page < PAGES ? { next: { href: `${pim.url}/api/rest/v1/products-uuid?search_after=${page + 1}` } } : {};
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(phpJson({ _embedded: { items: productsOf(page) }, _links: { self: { href: 'x' }, ...next } }));
    });
    try {
      const { outcome, uuids } = await runSync(pim);
      expect(requested).toEqual([1, 2, 3]);
      expect(outcome).toMatchObject({ kind: 'completed', productCount: PAGES * PER_PAGE });
      expect(uuids).toEqual(everyProduct);
    } finally {
      await pim.close();
    }
  });

  it('follows next links written as paths (as Akeneo CE does), and resumes from a checkpoint that holds one, exporting every product once', async () => {
    const requested: number[] = [];
    const pim = await startFakePim((request, response) => {
      const page = Number(new URL(request.url ?? '/', 'http://pim').searchParams.get('search_after') ?? 1);
      requested.push(page);
      const next = page < PAGES ? { next: { href: `/api/rest/v1/products-uuid?search_after=${page + 1}` } } : {};
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(phpJson({ _links: { self: { href: 'x' }, ...next }, _embedded: { items: productsOf(page) } }));
    });
    try {
      const { outcome, uuids, steps } = await runSync(pim, { onePagePerStep: true });
      expect(steps).toBe(PAGES);
      expect(requested).toEqual([1, 2, 3]);
      expect(outcome).toMatchObject({ kind: 'completed', productCount: PAGES * PER_PAGE });
      expect(uuids).toEqual(Array.from({ length: PAGES }, (_, page) => productsOf(page + 1).map((p) => p.uuid)).flat());
    } finally {
      await pim.close();
    }
  });
});
