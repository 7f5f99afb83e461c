import * as credentialsRegistry from '../../../functions/adapters/credentials-registry';
import * as errors from '../../../functions/core/errors';
import { AppError, BROWSER_ERROR_CODES } from '../../../functions/core/errors';
import { bindingCookie, bindingCookieName } from '../../../functions/http/browser-binding-cookie';
import { describeError } from '../../../functions/http/error-responses';
import { escapeHtml, html } from '../../../functions/http/pages/html';
import { cookieValue, hasQueryParameter, isHttps, queryParameter } from '../../../functions/http/request';
import { htmlResponse, redirectResponse } from '../../../functions/http/responses';
import { getEvent } from '../../support/events';

describe('reading the request', () => {
  it('reads a query parameter once, and treats a repeated one as absent', () => {
    expect(queryParameter(getEvent('/', 'code=a%2Bb&state=s'), 'code')).toBe('a+b');
    expect(queryParameter(getEvent('/', 'code=a&code=b'), 'code')).toBeUndefined();
    expect(hasQueryParameter(getEvent('/', 'error='), 'error')).toBe(true);
  });

  it('reads a cookie from the payload v2 cookies array', () => {
    const event = getEvent('/', '', ['other=1', '__Host-akeneo_connect=abc', 'x=2']);
    expect(cookieValue(event, '__Host-akeneo_connect')).toBe('abc');
    expect(cookieValue(getEvent('/', '', ['__Host-akeneo_connect=']), '__Host-akeneo_connect')).toBeUndefined();
  });

  it('takes API Gateway requests as https', () => {
    expect(isHttps(getEvent('/', ''))).toBe(true);
  });
});

describe('the browser-binding cookie', () => {
  it('is __Host-, Secure, HttpOnly and SameSite=Lax on https', () => {
    expect(bindingCookie('v', true)).toBe(
      '__Host-akeneo_connect=v; Max-Age=600; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('has a plain name and no Secure on a local http run', () => {
    expect(bindingCookieName(false)).toBe('akeneo_connect');
    expect(bindingCookie('v', false)).not.toContain('Secure');
  });
});

describe('responses', () => {
  it('carry the security headers, and HSTS on https', () => {
    const { headers } = htmlResponse(200, '<p>x</p>', { https: true });
    expect(headers).toMatchObject({
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringContaining('max-age='),
    });
    expect(headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('never cache a redirect', () => {
    expect(redirectResponse('https://pim/x', [], { https: false }).headers['cache-control']).toBe('no-store');
  });
});

describe('pages', () => {
  it('escape what they interpolate', () => {
    expect(html`<p>${'<script>"x"</script>'}</p>`.value).toBe('<p>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</p>');
    expect(escapeHtml("'&")).toBe('&#39;&amp;');
  });

  it('give every code a connection can end with its own page, with a status and what to do next', () => {
    const generic = describeError({ code: 'unexpected', message: 'x' });
    const others = BROWSER_ERROR_CODES.filter((code) => code !== 'unexpected');

    const descriptions = others.map((code) => describeError({ code, message: 'x' }));

    expect(others.length).toBeGreaterThan(10);
    for (const description of descriptions) {
      expect(description.title).not.toBe(generic.title);
      expect(description.status).toBeGreaterThanOrEqual(400);
      expect(description.nextStep.value).not.toBe('');
    }
    expect(new Set(descriptions.map((description) => description.title)).size).toBe(others.length);
  });

  it('know the code of every error class the handlers can meet, and have a class for every browser code', () => {
    // Every module that defines an error the connection flow throws as is (anything else becomes `unexpected`).
    const modules: Record<string, unknown>[] = [errors, credentialsRegistry];
    const codes = modules
      .flatMap((module) => Object.values(module))
      .filter((value): value is new (text: string) => AppError => typeof value === 'function')
      .filter((ErrorClass) => ErrorClass.prototype instanceof AppError)
      .map((ErrorClass) => new ErrorClass('x').code);

    expect(codes).toContain('malformed_credentials');
    expect(codes.length).toBe(new Set(codes).size);
    expect(new Set(codes)).toEqual(new Set(BROWSER_ERROR_CODES));
  });

  it('give a code no browser should meet the page of an unexpected failure, never its message', () => {
    const generic = describeError({ code: 'unexpected', message: 'x' });

    const description = describeError({ code: 'pagination_loop', message: 'a sync message' });

    expect(description).toEqual(generic);
  });
});
