import type { IncomingMessage } from 'node:http';

/**
 * Akeneo's CheckHeadersRequestSubscriber for a POST, PUT or PATCH: the media type before any `;` parameter must be
 * the endpoint's. Returns the 415 message, or undefined when the header is right.
 */
export function unsupportedContentType(request: IncomingMessage, allowed: string): string | undefined {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  if (contentType === '') return `The "Content-Type" header is missing. "${allowed}" has to be specified as value.`;
  if (contentType !== allowed)
    return `"${contentType}" in "Content-Type" header is not valid. Only "${allowed}" is allowed.`;
  return undefined;
}
