import { request } from 'undici';

export interface Page {
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly location?: string;
}

/**
 * A minimal browser over real HTTP: keeps cookies per host (name → value, honouring Max-Age=0), follows nothing
 * by itself, so each test sees every hop of the redirect chain.
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<Page> {
    return this.send(url, { method: 'GET' });
  }

  async postForm(url: string, form: Record<string, string>): Promise<Page> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  clearCookies(): void {
    this.jar.clear();
  }

  cookies(url: string): Map<string, string> {
    return this.jar.get(new URL(url).host) ?? new Map();
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    cookies.set(name, value);
    this.jar.set(host, cookies);
  }

  private async send(
    url: string,
    options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  ): Promise<Page> {
    const cookieHeader = [...this.cookies(url)].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await request(url, {
      method: options.method,
      headers: { ...options.headers, ...(cookieHeader ? { cookie: cookieHeader } : {}) },
      body: options.body,
    });
    this.store(url, response.headers['set-cookie']);
    const location = response.headers.location;
    return {
      url,
      status: response.statusCode,
      headers: response.headers,
      body: await response.body.text(),
      ...(typeof location === 'string' ? { location: new URL(location, url).toString() } : {}),
    };
  }

  private store(url: string, setCookie: string | string[] | undefined): void {
    if (!setCookie) return;
    for (const cookie of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair, ...attributes] = cookie.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const expired = attributes.some((attribute) => attribute.toLowerCase() === 'max-age=0');
      if (expired) this.cookies(url).delete(name);
      else this.setCookie(url, name, pair.slice(separator + 1));
    }
  }
}

/** The value a page's Set-Cookie gave the cookie `name`, if it set it. */
export function cookieSetBy(page: Page, name: string): string | undefined {
  const setCookie = page.headers['set-cookie'];
  for (const cookie of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const [pair] = cookie.split(';');
    const separator = pair.indexOf('=');
    if (pair.slice(0, separator).trim() === name) return pair.slice(separator + 1);
  }
  return undefined;
}

/** The value of a hidden input in a form, as a browser would submit it. */
export function formField(html: string, name: string): string | undefined {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  return match ? decodeEntities(match[1]) : undefined;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
