import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { pimHostFromKey } from '../contract/names';
import type { DeliverySignatures } from '../core/webhook-signature';
import { type HttpResult, securityHeaders } from './responses';

/**
 * The Event Platform's deliveries are at most a few kilobytes; a body past this is refused (413) before it is decoded
 * or verified. API Gateway would pass up to 10 MB.
 */
export const MAX_DELIVERY_BYTES = 2 * 1024 * 1024;

export type DeliveryBody = { readonly ok: true; readonly raw: Buffer } | { readonly ok: false };

/** The raw body as Akeneo signed it, or nothing if it is over the cap (checked on the length before decoding). */
export function deliveryBody(event: APIGatewayProxyEventV2): DeliveryBody {
  const body = event.body ?? '';
  if (event.isBase64Encoded) {
    if (body.length > Math.ceil(MAX_DELIVERY_BYTES / 3) * 4) return { ok: false };
    const raw = Buffer.from(body, 'base64');
    return raw.length > MAX_DELIVERY_BYTES ? { ok: false } : { ok: true, raw };
  }
  if (body.length > MAX_DELIVERY_BYTES) return { ok: false };
  const raw = Buffer.from(body, 'utf8');
  return raw.length > MAX_DELIVERY_BYTES ? { ok: false } : { ok: true, raw };
}

export function deliverySignatures(event: APIGatewayProxyEventV2): DeliverySignatures {
  const header = (name: string) => event.headers?.[name];
  return {
    primary: header('x-akeneo-signature-primary'),
    secondary: header('x-akeneo-signature-secondary'),
    algorithm: header('x-akeneo-signature-algorithm'),
  };
}

/** The PIM host named by the route's `{pimHostKey}`, or undefined when it cannot be one. */
export function deliveryPimHost(event: APIGatewayProxyEventV2): string | undefined {
  const key = event.pathParameters?.pimHostKey;
  if (key === undefined || !/^[A-Za-z0-9.-]+(_[0-9]{1,5})?$/.test(key) || key.length > 260) return undefined;
  return pimHostFromKey(key).toLowerCase();
}

/** A webhook's answer: a status and no body (the platform reads the status only). */
export function webhookResponse(statusCode: number): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders({ noStore: true, https: true }) },
    body: '',
  };
}
