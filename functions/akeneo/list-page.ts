import { UnexpectedPimAnswerError } from '../core/errors';

/** One page of an Akeneo list (`_embedded.items`), and the link to the next one. */
export interface ListPage {
  readonly items: readonly unknown[];
  /** `_links.next.href`, as the PIM wrote it (absolute, or relative to the PIM): absent on the last page. */
  readonly nextUrl?: string;
}

/** A page of any of Akeneo's lists (products, categories, …); `what` names it in the error for a page without items. */
export function parseListPage(body: unknown, what = 'list page'): ListPage {
  const page = body as { _embedded?: { items?: unknown }; _links?: { next?: { href?: unknown } } } | null;
  const items = page?._embedded?.items;
  if (!Array.isArray(items)) throw new UnexpectedPimAnswerError(`The PIM answered a ${what} without items`);
  const next = page?._links?.next?.href;
  return { items, ...(typeof next === 'string' && next !== '' ? { nextUrl: next } : {}) };
}
