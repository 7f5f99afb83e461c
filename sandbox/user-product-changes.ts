import { userAuthor } from './event-platform/product-events';
import type { SandboxContext } from './sandbox-context';

/**
 * Product changes made by the PIM user (the controls page, and SandboxPim's product methods standing in for the
 * PIM's UI): each returns the uuids it changed and has the Event Platform deliver the matching events.
 */
export function touchProductsAsUser(context: SandboxContext, count: number): string[] {
  const uuids = context.products.touch(count, Math.floor(context.store.nowSeconds()));
  context.eventPlatform.productsChanged('updated', uuids, userAuthor(context.user.username));
  return uuids;
}

export function addProductsAsUser(context: SandboxContext, count: number): string[] {
  const uuids = context.products.add(count, Math.floor(context.store.nowSeconds()));
  context.eventPlatform.productsChanged('created', uuids, userAuthor(context.user.username));
  return uuids;
}

export function deleteProductsAsUser(context: SandboxContext, count: number): string[] {
  const uuids = context.products.remove(count);
  context.eventPlatform.productsChanged('deleted', uuids, userAuthor(context.user.username));
  return uuids;
}
