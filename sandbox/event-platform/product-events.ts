import { userUuid } from './ids';
import type { EventAuthor } from './subscription-filter';

export type { EventAuthor } from './subscription-filter';

/** A change made by the PIM user (the controls page, or SandboxPim's product methods standing in for the UI). */
export function userAuthor(username: string): EventAuthor {
  return { identifier: userUuid(username), type: 'user' };
}

/** A change made through the REST API: the author is the calling app's client id. */
export function apiAuthor(clientId: string): EventAuthor {
  return { identifier: clientId, type: 'api' };
}

export interface ProductEventFields {
  id: string;
  type: string;
  subscriptionId: string;
  /** RFC 3339, to the second. */
  time: string;
  productUuid: string;
  /** Only when the subscription asked for it (`send_product_identifier`) and the product has one. */
  identifier?: string;
  author: EventAuthor;
}

/** A CloudEvents 1.0 event in structured mode, in the key order of Akeneo's examples (concepts.md). */
export function productCloudEvent(fields: ProductEventFields): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: fields.id,
    source: 'akeneo-event-platform',
    type: fields.type,
    subject: fields.subscriptionId,
    datacontenttype: 'application/json',
    dataschema: `https://event.prd.sdk.akeneo.cloud/spec/${fields.type}.schema.json`,
    time: fields.time,
    data: {
      product: {
        uuid: fields.productUuid,
        ...(fields.identifier === undefined ? {} : { identifier: fields.identifier }),
      },
      author: fields.author,
    },
  };
}
