import { PimHttp } from '../../../functions/akeneo/pim-http';
import { requestAccessToken } from '../../../functions/akeneo/token-endpoint';
import { startFakePim } from '../../support/fake-pim';

const request = { clientId: 'client', code: 'code', codeIdentifier: 'id', codeChallenge: 'challenge' };

async function answerWith(status: number, body: string, contentType = 'application/json') {
  const pim = await startFakePim((_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(body);
  });
  const http = new PimHttp({ timeoutMs: 1000, maxResponseBytes: 4096 });
  try {
    return await requestAccessToken(http, pim.url, request);
  } finally {
    await pim.close();
  }
}

/** Every error body of the protocol's token endpoint, each turned into the error the pages are made from. */
describe('requestAccessToken error bodies', () => {
  it.each([
    ['{"error":"invalid_client"}', 'pim_rejected_credentials'],
    ['{"error":"invalid_grant","error_description":"Code has expired"}', 'code_expired'],
    ['{"error":"invalid_grant","error_description":"Code is not valid"}', 'code_invalid'],
    ['{"error":"invalid_request"}', 'unexpected_pim_answer'],
    ['{"error":"unsupported_grant_type"}', 'unexpected_pim_answer'],
    ['{"error":"<script>alert(1)</script>"}', 'unexpected_pim_answer'],
  ])('400 %s is %s', async (body, code) => {
    await expect(answerWith(400, body)).rejects.toMatchObject({ code });
  });

  it.each([
    [500, '<html>Internal Server Error</html>', 'pim_unavailable'],
    [503, '', 'pim_unavailable'],
    [200, 'not json', 'unexpected_pim_answer'],
    [200, '{"token_type":"bearer"}', 'unexpected_pim_answer'],
    [302, '', 'unexpected_pim_answer'],
  ])('%s with %j is %s', async (status, body, code) => {
    await expect(answerWith(status, body)).rejects.toMatchObject({ code });
  });

  it('refuses an answer larger than the limit', async () => {
    await expect(answerWith(200, 'x'.repeat(10_000))).rejects.toMatchObject({ code: 'pim_unavailable' });
  });

  it('keeps only a plain OAuth error code of an untrusted answer in the message', async () => {
    await expect(answerWith(400, '{"error":"<script>alert(1)</script>"}')).rejects.toThrow('(no error code)');
  });

  it('reads the token, the sorted scopes and the id_token of a success', async () => {
    await expect(
      answerWith(200, '{"access_token":"t","token_type":"bearer","scope":"read_products openid","id_token":"j"}'),
    ).resolves.toEqual({ accessToken: 't', scopes: ['openid', 'read_products'], idToken: 'j' });
  });

  it('keeps no control character of the scope string, and splits it on any whitespace', async () => {
    const body = JSON.stringify({ access_token: 't', scope: 'read_products\u001b[2J\topenid\u009b email\n' });

    await expect(answerWith(200, body)).resolves.toEqual({
      accessToken: 't',
      scopes: ['email', 'openid', 'read_products[2J'],
    });
  });

  it('sends the form the protocol describes, and follows no redirect', async () => {
    let received = '';
    let redirected = false;
    const pim = await startFakePim((incoming, response) => {
      if (incoming.url !== '/connect/apps/v1/oauth2/token') redirected = true;
      incoming.on('data', (chunk) => {
        received += chunk;
      });
      incoming.on('end', () => {
        response.writeHead(307, { location: '/elsewhere' });
        response.end();
      });
    });
    const http = new PimHttp({ timeoutMs: 1000 });
    try {
      await expect(requestAccessToken(http, pim.url, request)).rejects.toMatchObject({ code: 'unexpected_pim_answer' });
    } finally {
      await pim.close();
    }
    expect(received).toBe(
      'client_id=client&code=code&grant_type=authorization_code&code_identifier=id&code_challenge=challenge',
    );
    expect(redirected).toBe(false);
  });
});
