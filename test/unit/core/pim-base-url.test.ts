import { checkStoredLink, pimBaseUrl } from '../../../functions/core/pim-base-url';

const AWS = { local: false };
const LOCAL = { local: true };

describe('pimBaseUrl: where a sealed token may be sent', () => {
  it('is the stored URL when it names the sealed host over https', () => {
    expect(pimBaseUrl('my-pim.cloud.akeneo.com', 'https://my-pim.cloud.akeneo.com', AWS)).toBe(
      'https://my-pim.cloud.akeneo.com',
    );
    expect(pimBaseUrl('pim.example.com:8443', 'https://PIM.example.com:8443/', AWS)).toBe(
      'https://pim.example.com:8443',
    );
  });

  it('accepts plain http only locally, and only for a loopback host', () => {
    expect(pimBaseUrl('localhost:3001', 'http://localhost:3001', LOCAL)).toBe('http://localhost:3001');
    expect(() => pimBaseUrl('localhost:3001', 'http://localhost:3001', AWS)).toThrow(/https/);
    expect(() => pimBaseUrl('pim.example.com', 'http://pim.example.com', LOCAL)).toThrow(/https/);
  });

  it('refuses a stored URL on another host than the sealed one, naming the PIM and the other host', () => {
    const refusal = () => pimBaseUrl('my-pim.cloud.akeneo.com', 'https://attacker.example.com', AWS);
    expect(refusal).toThrow(
      expect.objectContaining({
        code: 'pim_url_mismatch',
        pimHost: 'my-pim.cloud.akeneo.com',
        message: expect.stringContaining('attacker.example.com'),
      }),
    );
    // The port is part of the host: another port is another PIM.
    expect(() => pimBaseUrl('localhost:3001', 'http://localhost:3002', LOCAL)).toThrow(/another host/);
    // A path, user info or a missing URL are not a PIM's address either.
    expect(() => pimBaseUrl('pim.example.com', 'https://pim.example.com/evil', AWS)).toThrow(/path/);
    expect(() => pimBaseUrl('pim.example.com', 'https://u:p@pim.example.com', AWS)).toThrow(/user name/);
    expect(() => pimBaseUrl('pim.example.com', undefined, AWS)).toThrow(/no PIM URL/);
  });
});

describe('checkStoredLink', () => {
  it("accepts a link on the PIM's own origin, and refuses any other", () => {
    expect(() =>
      checkStoredLink('localhost:3001', 'http://localhost:3001/api/rest/v1/products-uuid?x=1', 'http://localhost:3001'),
    ).not.toThrow();
    expect(() => checkStoredLink('localhost:3001', 'http://127.0.0.1:3001/api', 'http://localhost:3001')).toThrow(
      /leads to http:\/\/127\.0\.0\.1:3001, not http:\/\/localhost:3001/,
    );
    expect(() => checkStoredLink('pim.example.com', 'http://pim.example.com/api', 'https://pim.example.com')).toThrow(
      expect.objectContaining({ code: 'pim_url_mismatch' }),
    );
    expect(() => checkStoredLink('pim.example.com', 'not a url', 'https://pim.example.com')).toThrow(/not a URL/);
  });
});
