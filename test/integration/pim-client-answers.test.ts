import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InProcessCallSlots } from '../../functions/adapters/call-slots';
import { DynamoDbConnectionAccessStore } from '../../functions/adapters/connection-store';
import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../functions/akeneo/rest-errors';
import { loadConfig } from '../../functions/config';
import { PimAccess, type PimClient } from '../../functions/pim-access';
import { ensureTables } from '../../local/tables';
import { saveActiveConnection } from '../support/active-connection';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { type FakePim, startFakePim } from '../support/fake-pim';

const TOKEN = 'answers-token';
const TOO_MANY = { code: 413, message: 'Too many resources to process, 100 is the maximum allowed.' };
const UNSUPPORTED = {
  code: 415,
  message:
    '"text/plain" in "Content-Type" header is not valid. Only "application/vnd.akeneo.collection+json" is allowed.',
};
const FORBIDDEN = { code: 403, message: 'Access forbidden. You are not allowed to create or update products.' };
/** What a front in front of the PIM answers, not the PIM: no Akeneo JSON. */
const FRONT_403 =
  '<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
}

/**
 * Answers a well-formed client never gets from the sandbox (a PIM configured for fewer lines per call, a front that
 * refuses an oversized body, a PIM whose links point elsewhere), from a fake PIM over HTTP; the connection lives in
 * DynamoDB Local, its token sealed with a local key.
 */
describe('a PIM client meeting answers the sandbox does not give', () => {
  const tables = uniqueTableNames();
  const config = loadConfig({
    APP_MODE: 'local',
    DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
    STATES_TABLE_NAME: tables.statesTableName,
    CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
  });
  const documents = testDocumentClient();
  const cipher = new LocalKeyTokenCipher(randomBytes(32));
  const store = new DynamoDbConnectionAccessStore({ client: documents, tableName: tables.connectionsTableName });
  const pims = new PimAccess({
    store,
    cipher,
    pimUrlPolicy: { local: true },
    callSlots: new InProcessCallSlots(),
    now: () => new Date(),
    retry: { baseDelayMs: 10, maxDelayMs: 50, maxRateLimitRetries: 2, maxServerErrorRetries: 2 },
  });
  const closers: Array<() => Promise<void>> = [];

  beforeAll(() => ensureTables(documents, config));
  afterAll(async () => {
    for (const close of closers) await close();
  });

  /** A fake PIM answering with `answer`, connected: its row in the table, its token sealed for its host. */
  async function connectedPim(
    answer: (request: Seen, response: ServerResponse) => void,
  ): Promise<{ pim: FakePim; seen: Seen[]; client: PimClient }> {
    const seen: Seen[] = [];
    const pim = await startFakePim((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += String(chunk);
      });
      request.on('end', () => {
        const call = {
          method: request.method ?? '',
          url: request.url ?? '',
          contentType: request.headers['content-type'] ?? '',
          body,
        };
        seen.push(call);
        answer(call, response);
      });
    });
    closers.push(() => pim.close());
    const pimHost = await saveActiveConnection(
      { documents, tableName: tables.connectionsTableName, cipher },
      pim,
      TOKEN,
      { scopes: ['read_products', 'write_products'] },
    );
    const opening = await pims.open(pimHost);
    if (opening.status !== 'ready') throw new Error(`Expected a ready client, got ${JSON.stringify(opening)}`);
    closers.push(() => opening.pim.close());
    return { pim, seen, client: opening.pim };
  }

  const json = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const statusOf = async (client: PimClient) => (await store.get(client.pimHost))?.status;

  describe('refusals of a whole write', () => {
    it('sends the collection media type and NDJSON, and gives a 413 as PayloadTooLargeError, leaving the connection active', async () => {
      const { seen, client } = await connectedPim((_request, response) => json(response, 413, TOO_MANY));

      const error = await client.patchProducts([{ uuid: 'u1' }, { uuid: 'u2' }]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(error).toMatchObject({ code: 'payload_too_large', status: 413, reason: TOO_MANY.message });
      expect(seen).toEqual([
        {
          method: 'PATCH',
          url: '/api/rest/v1/products-uuid',
          contentType: 'application/vnd.akeneo.collection+json',
          body: '{"uuid":"u1"}\n{"uuid":"u2"}',
        },
      ]);
      expect(await statusOf(client)).toBe('active');
    });

    it('gives a 415 as UnsupportedMediaTypeError', async () => {
      const { client } = await connectedPim((_request, response) => json(response, 415, UNSUPPORTED));

      const error = await client.patchProducts([{ uuid: 'u1' }]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
      expect(error).toMatchObject({ code: 'unsupported_media_type', reason: UNSUPPORTED.message });
      expect(await statusOf(client)).toBe('active');
    });

    it("tells SaaS's 403 for an oversized body (not Akeneo's JSON) from the PIM's own: too large, the connection stays active", async () => {
      const { seen, client } = await connectedPim((_request, response) =>
        response.writeHead(403, { 'content-type': 'text/html' }).end(FRONT_403),
      );

      const error = await client.patchProducts([{ uuid: 'u1' }]).catch((e: unknown) => e);
      const after = await client.patchProducts([{ uuid: 'u2' }]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(error).toMatchObject({ code: 'payload_too_large', status: 403 });
      expect(after).toMatchObject({ code: 'payload_too_large' });
      expect(seen).toHaveLength(2);
      expect(await statusOf(client)).toBe('active');
    });

    it("takes the PIM's own 403 (Akeneo's JSON) for a missing scope, and marks the connection", async () => {
      const { client } = await connectedPim((_request, response) => json(response, 403, FORBIDDEN));

      const error = await client.patchProducts([{ uuid: 'u1' }]).catch((e: unknown) => e);

      expect(error).toMatchObject({ code: 'scope_missing', reason: FORBIDDEN.message, marked: true });
      expect(await statusOf(client)).toBe('scope_missing');
    });
  });

  describe('lists and links', () => {
    const page = (items: unknown[], next?: string) => ({
      _links: { self: { href: 'x' }, ...(next ? { next: { href: next } } : {}) },
      _embedded: { items },
    });

    it('follows relative next links on the PIM, with search_after pages of 100 unless told otherwise', async () => {
      const { seen, client } = await connectedPim((request, response) => {
        const after = new URL(request.url, 'http://pim').searchParams.get('search_after');
        if (after === null) return json(response, 200, page([{ code: 'a' }], '/api/rest/v1/categories?search_after=b'));
        if (after === 'b') return json(response, 200, page([{ code: 'b' }], '/api/rest/v1/categories?search_after=c'));
        return json(response, 200, page([{ code: 'c' }]));
      });

      const items: unknown[] = [];
      for await (const listed of client.list('/api/rest/v1/categories', {
        search: { parent: [{ operator: '=', value: 'master' }] },
      })) {
        items.push(...listed.items);
      }

      expect(items).toEqual([{ code: 'a' }, { code: 'b' }, { code: 'c' }]);
      const first = new URL(seen[0]?.url ?? '', 'http://pim').searchParams;
      expect(Object.fromEntries(first)).toEqual({
        pagination_type: 'search_after',
        limit: '100',
        search: '{"parent":[{"operator":"=","value":"master"}]}',
      });
      expect(seen.map((call) => call.url).slice(1)).toEqual([
        '/api/rest/v1/categories?search_after=b',
        '/api/rest/v1/categories?search_after=c',
      ]);
    });

    it('never follows a next link to another host, and never sends a path of another host', async () => {
      const elsewhere: string[] = [];
      const other = await startFakePim((request, response) => {
        elsewhere.push(request.url ?? '');
        json(response, 200, page([]));
      });
      closers.push(() => other.close());
      const { seen, client } = await connectedPim((_request, response) =>
        json(response, 200, page([{ code: 'a' }], `${other.url}/api/rest/v1/categories?search_after=b`)),
      );

      const listing = client.list('/api/rest/v1/categories')[Symbol.asyncIterator]();
      expect((await listing.next()).value).toMatchObject({ items: [{ code: 'a' }] });
      await expect(listing.next()).rejects.toMatchObject({ code: 'unexpected_pim_answer' });
      for (const path of [`${other.url}/api/rest/v1/categories`, `//${new URL(other.url).host}/api/rest/v1`]) {
        await expect(client.get(path)).rejects.toMatchObject({ code: 'invalid_pim_request' });
      }

      expect(seen).toHaveLength(1);
      expect(elsewhere).toEqual([]);
    });

    it('stops a list whose next link leads back to a page already read', async () => {
      const link = (at: string) => `/api/rest/v1/categories?pagination_type=search_after&limit=100&search_after=${at}`;
      const { seen, client } = await connectedPim((request, response) => {
        const second = request.url.endsWith('search_after=b');
        json(response, 200, page([{ code: second ? 'b' : 'a' }], link(second ? 'a' : 'b')));
      });

      const listing = async () => {
        for await (const _page of client.list(link('a'))) {
          // every page, until the loop is seen
        }
      };

      await expect(listing()).rejects.toMatchObject({ code: 'pagination_loop' });
      expect(seen.map((call) => call.url)).toEqual([link('a'), link('b')]);
    });
  });
});
