/**
 * Every event type Akeneo documents (pim-api-docs@08e0ab98, content/event-platform/available-events.md). A
 * subscription may ask for any of them; the sandbox emits the product ones below.
 */
export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
  'com.akeneo.pim.v1.app.deleted',
  'com.akeneo.pim.v1.asset.created',
  'com.akeneo.pim.v1.asset.updated',
  'com.akeneo.pim.v1.asset.deleted',
  'com.akeneo.pim.v1.attribute.created',
  'com.akeneo.pim.v1.attribute.updated',
  'com.akeneo.pim.v1.attribute.deleted',
  'com.akeneo.pim.v1.attribute-group.created',
  'com.akeneo.pim.v1.attribute-group.updated',
  'com.akeneo.pim.v1.attribute-group.deleted',
  'com.akeneo.pim.v1.attribute-option.created',
  'com.akeneo.pim.v1.attribute-option.updated',
  'com.akeneo.pim.v1.attribute-option.deleted',
  'com.akeneo.pim.v1.category.created',
  'com.akeneo.pim.v1.category.updated',
  'com.akeneo.pim.v1.category.deleted',
  'com.akeneo.pim.v1.connection.deleted',
  'com.akeneo.pim.v1.product.created',
  'com.akeneo.pim.v1.product.updated',
  'com.akeneo.pim.v1.product.updated.delta',
  'com.akeneo.pim.v1.product.deleted',
  'com.akeneo.pim.v1.product.became-complete',
  'com.akeneo.pim.v1.product.became-incomplete',
  'com.akeneo.pim.v1.product-model.created',
  'com.akeneo.pim.v1.product-model.updated',
  'com.akeneo.pim.v1.product-model.updated.delta',
  'com.akeneo.pim.v1.product-model.deleted',
  'com.akeneo.pim.v1.family.created',
  'com.akeneo.pim.v1.family.updated',
  'com.akeneo.pim.v1.family.deleted',
  'com.akeneo.pim.v1.reference-entity-record.created',
  'com.akeneo.pim.v1.reference-entity-record.updated',
  'com.akeneo.pim.v1.reference-entity-record.deleted',
  'com.akeneo.pim.v1.job.export.status-changed',
  'com.akeneo.pim.v1.job.mass-edit.status-changed',
  'com.akeneo.pim.v1.job.import.status-changed',
  'com.akeneo.pim.v1.workflow.task.created',
]);

export type ProductChange = 'created' | 'updated' | 'deleted';

export function productEventType(change: ProductChange): string {
  return `com.akeneo.pim.v1.product.${change}`;
}
