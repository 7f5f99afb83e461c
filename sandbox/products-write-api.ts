import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateApiRequest, hasAuthorizationScope } from './api-auth';
import { type CollectionLine, readCollectionBody, TOO_LONG } from './collection-body';
import { unsupportedContentType } from './content-type';
import { apiAuthor } from './event-platform/product-events';
import { sendJson } from './http-helpers';
import { phpJsonEncode } from './php-values';
import { PATCH_PRODUCT_DOCUMENTATION, updateProduct } from './product-update';
import type { SandboxContext } from './sandbox-context';

export const COLLECTION_CONTENT_TYPE = 'application/vnd.akeneo.collection+json';
/** Akeneo's `api_input_max_resources_number` and `api_input_buffer_size`. */
export const MAX_COLLECTION_LINES = 100;
export const MAX_LINE_BYTES = 1_000_000;

const FORBIDDEN = { code: 403, message: 'Access forbidden. You are not allowed to create or update products.' };
const TOO_MANY = {
  code: 413,
  message: `Too many resources to process, ${MAX_COLLECTION_LINES} is the maximum allowed.`,
};
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One line of the answer, in Akeneo's key order. */
type LineResult = { line: number; uuid?: unknown; status_code: number } & Record<string, unknown>;

function parseLine(text: string): { ok: true; data: unknown } | { ok: false } {
  try {
    const data: unknown = JSON.parse(text);
    // PHP's json_decode answers null for invalid JSON and for `null` alike.
    return data === null ? { ok: false } : { ok: true, data };
  } catch {
    return { ok: false };
  }
}

/**
 * The line's uuid as PHP's `isset` and `trim` see it (a number or `true` passes, as its string), and as given, for
 * the answer; undefined when missing or blank.
 */
function uuidOf(data: unknown): { text: string; given: unknown } | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const given = (data as Record<string, unknown>).uuid;
  if (typeof given === 'number') return { text: String(given), given };
  if (given === true) return { text: '1', given };
  return typeof given === 'string' && given.trim() !== '' ? { text: given, given } : undefined;
}

/**
 * Applies one line to the catalog and says what happened, as one line of Akeneo's answer. A product created or
 * changed is an event by the calling app (`clientId`) for the Event Platform; an unchanged one is not.
 */
function processLine(context: SandboxContext, text: CollectionLine, line: number, clientId: string): LineResult {
  if (text === TOO_LONG) return { line, status_code: 413, message: 'Line is too long.' };
  const parsed = parseLine(text);
  if (!parsed.ok) return { line, status_code: 400, message: 'Invalid json message received' };
  const lineUuid = uuidOf(parsed.data);
  if (lineUuid === undefined) return { line, status_code: 422, message: 'Uuid is missing.' };
  const { text: given } = lineUuid;
  if (!UUID_PATTERN.test(given)) {
    const message = 'This is not a valid UUID. Check the expected format on the API documentation.';
    return {
      line,
      uuid: lineUuid.given,
      status_code: 422,
      message,
      _links: { documentation: { href: PATCH_PRODUCT_DOCUMENTATION } },
    };
  }
  const uuid = given.toLowerCase();
  const { products } = context;
  const ref = products.find(uuid);
  const outcome = updateProduct(
    ref === undefined ? undefined : products.contentOf(ref),
    uuid,
    parsed.data as Record<string, unknown>,
  );
  if (!outcome.ok) return { line, uuid, status_code: 422, ...outcome.refusal };
  const now = Math.floor(context.store.nowSeconds());
  if (ref === undefined) {
    products.create(outcome.content, now);
    context.eventPlatform.productsChanged('created', [uuid], apiAuthor(clientId));
    return { line, uuid, status_code: 201 };
  }
  if (outcome.changed) {
    products.update(ref, outcome.content, now);
    context.eventPlatform.productsChanged('updated', [uuid], apiAuthor(clientId));
  }
  return { line, uuid, status_code: 204 };
}

/** Resolves once the chunk is handed to the socket; false when the client is gone. */
function write(response: ServerResponse, chunk: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (response.destroyed) {
      resolve(false);
      return;
    }
    response.write(chunk, (error) => resolve(!error && !response.destroyed));
  });
}

/**
 * PATCH /api/rest/v1/products-uuid: the collection update. Refusals of the whole request come first (401, 415, 403,
 * then 413 for more than 100 lines, before any line is applied); then an HTTP 200 streams one result per line as
 * each line is applied. `cutAfterLines` (the cut-stream fault) closes the connection after that many result lines:
 * the lines after it are not applied, and the body never ends.
 */
export async function patchProducts(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  cutAfterLines: number | undefined,
): Promise<void> {
  const authentication = authenticateApiRequest(request, context.store);
  if (!authentication.ok) {
    sendJson(response, authentication.status, authentication.body);
    return;
  }
  const unsupported = unsupportedContentType(request, COLLECTION_CONTENT_TYPE);
  if (unsupported !== undefined) {
    sendJson(response, 415, { code: 415, message: unsupported });
    return;
  }
  if (!hasAuthorizationScope(context.store, authentication.clientId, 'write_products')) {
    sendJson(response, 403, FORBIDDEN);
    return;
  }
  const body = await readCollectionBody(request, { maxLines: MAX_COLLECTION_LINES, maxLineBytes: MAX_LINE_BYTES });
  if (body.count > MAX_COLLECTION_LINES) {
    sendJson(response, 413, TOO_MANY);
    return;
  }
  response.writeHead(200, { 'content-type': COLLECTION_CONTENT_TYPE, 'cache-control': 'no-store' });
  for (const [index, text] of body.lines.entries()) {
    if (index === cutAfterLines) break;
    const result = processLine(context, text, index + 1, authentication.clientId);
    // A client that went away stops the PIM at its next output: the lines after it are not applied.
    if (!(await write(response, `${index === 0 ? '' : '\n'}${phpJsonEncode(result)}`))) return;
  }
  if (cutAfterLines === undefined) {
    response.end();
    return;
  }
  // Ends the connection once what was written is sent: the client gets those lines, then a body that never ends.
  response.flushHeaders();
  response.socket?.end();
}
