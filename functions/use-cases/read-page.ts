import { nextLinkInHead, type ProductPage, parseProductPageText } from '../akeneo/products';

/** What the sync needs of a PIM: JSON by URL, within the fair-use limits (a `PimClient`). */
export interface PageSource {
  /** The PIM's scheme, host and port: next links written as paths are resolved against it. */
  readonly baseUrl: string;
  /** `peek` sees the start of a successful answer while it arrives; it returns true once it has seen enough. */
  follow(link: string, options: { readonly peek?: (head: string) => boolean }): Promise<unknown>;
  /** The same, the answer's JSON text unparsed: a page is parsed by its own parser. */
  followText(link: string, options: { readonly peek?: (head: string) => boolean }): Promise<string>;
}

/** One page being read: its URL, the parsed page to come, and its next link as soon as it is known. */
export interface PageRead {
  readonly url: string;
  readonly page: Promise<ProductPage>;
  /**
   * The page's next link, as soon as it is known (from the head of the answer, or else from the whole page), always
   * absolute: Akeneo CE writes some as paths, and a checkpoint must hold a link a later invocation can check.
   */
  readonly nextUrl: Promise<string | undefined>;
}

/**
 * Starts reading the page at `url`, announcing its next link from the first bytes of the answer when it can. `parse`
 * makes a page of the answer's text (a catalog's products may answer an error instead).
 */
export function readPage(
  pim: PageSource,
  url: string,
  parse: (text: string) => ProductPage = parseProductPageText,
): PageRead {
  let announce: (next: string | undefined) => void = () => undefined;
  const nextUrl = new Promise<string | undefined>((resolve) => {
    announce = resolve;
  });
  // A link that is no URL at all stays as given: the run's link checks refuse it with a clear error.
  const absolute = (link: string) => (URL.canParse(link, pim.baseUrl) ? new URL(link, pim.baseUrl).toString() : link);
  const peek = (head: string) => {
    const next = nextLinkInHead(head);
    if (next === undefined) return false;
    if (next !== null) announce(absolute(next));
    return true;
  };
  const page = pim
    .followText(url, { peek })
    .then(parse)
    .then(
      (parsed): ProductPage =>
        parsed.nextUrl === undefined ? parsed : { ...parsed, nextUrl: absolute(parsed.nextUrl) },
    );
  page.then(
    (parsed) => announce(parsed.nextUrl),
    () => announce(undefined),
  );
  // Awaited by the loop when it is this page's turn; a failure before that (or of a discarded read-ahead) must not
  // count as unhandled.
  page.catch(() => undefined);
  return { url, page, nextUrl };
}
