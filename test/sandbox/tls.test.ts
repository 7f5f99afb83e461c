import { Agent, request } from 'undici';
import { localhostCertificate } from '../support/tls-certificate';
import { startSandboxWithApp } from './sandbox-helpers';

describe('the sandbox PIM over https', () => {
  it('serves https with the given certificate and announces https links, as a PIM the app takes on AWS', async () => {
    const certificate = localhostCertificate();
    const { pim } = await startSandboxWithApp({ tls: certificate, productCount: 3 });
    const trusting = new Agent({ connect: { ca: certificate.cert } });
    try {
      const answer = await request(`${pim.url}/connect/apps/v1/openid/public-key`, { dispatcher: trusting });

      expect(pim.url).toMatch(/^https:\/\/localhost:\d+$/);
      expect(answer.statusCode).toBe(200);
      expect(JSON.parse(await answer.body.text())).toHaveProperty('public_key');
      // A client that does not trust the certificate is refused: it really is TLS, with this certificate.
      await expect(request(`${pim.url}/connect/apps/v1/openid/public-key`)).rejects.toThrow(/certificate/i);
    } finally {
      await trusting.close();
      await pim.close();
    }
  });
});
