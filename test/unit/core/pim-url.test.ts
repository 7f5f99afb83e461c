import { InvalidPimUrlError } from '../../../functions/core/errors';
import { normalisePimUrl } from '../../../functions/core/pim-url';

const aws = { local: false };
const local = { local: true };

describe('normalisePimUrl', () => {
  it.each([
    ['https://my-pim.cloud.akeneo.com', 'https://my-pim.cloud.akeneo.com', 'my-pim.cloud.akeneo.com'],
    ['https://my-pim.cloud.akeneo.com/', 'https://my-pim.cloud.akeneo.com', 'my-pim.cloud.akeneo.com'],
    ['  HTTPS://My-PIM.Cloud.Akeneo.COM  ', 'https://my-pim.cloud.akeneo.com', 'my-pim.cloud.akeneo.com'],
    ['https://pim.example.com:443', 'https://pim.example.com', 'pim.example.com'],
    ['https://pim.example.com:8443', 'https://pim.example.com:8443', 'pim.example.com:8443'],
  ])('keeps scheme, lower-case host and port of %s', (raw, url, host) => {
    expect(normalisePimUrl(raw, aws)).toEqual({ url, host });
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['my-pim.cloud.akeneo.com', 'not a URL'],
    ['ftp://pim.example.com', 'https'],
    ['https://user:secret@pim.example.com', 'user name or password'],
    ['https://pim.example.com/pim', 'path'],
    ['https://pim.example.com/?x=1', 'query'],
    ['https://pim.example.com?', 'query'],
    ['https://pim.example.com#top', 'fragment'],
    ['http://pim.example.com', 'https'],
    ['http://localhost:8080', 'https'],
    ['https://192.0.2.1', 'IP address'],
    ['https://[2001:db8::1]', 'IP address'],
    [`https://${'a'.repeat(2050)}.com`, 'too long'],
    ['https://pim*.example.com', 'invalid host name'],
    ['https://pim_1.example.com', 'invalid host name'],
    ['https://-pim.example.com', 'invalid host name'],
  ])('refuses %s on AWS (%s)', (raw, reason) => {
    expect(() => normalisePimUrl(raw, aws)).toThrow(InvalidPimUrlError);
    expect(() => normalisePimUrl(raw, aws)).toThrow(new RegExp(reason));
  });

  it.each([
    ['http://localhost:3001', 'http://localhost:3001', 'localhost:3001'],
    ['http://127.0.0.1:3001', 'http://127.0.0.1:3001', '127.0.0.1:3001'],
    ['http://[::1]:3001', 'http://[::1]:3001', '[::1]:3001'],
    ['http://pim.localhost', 'http://pim.localhost', 'pim.localhost'],
  ])('accepts plain http on the loopback host %s when running locally', (raw, url, host) => {
    expect(normalisePimUrl(raw, local)).toEqual({ url, host });
  });

  it('still refuses plain http on a public host when running locally', () => {
    expect(() => normalisePimUrl('http://pim.example.com', local)).toThrow(/https/);
  });

  describe('says which schemes the mode accepts', () => {
    const AWS_RULE = 'The PIM URL must use https';
    const LOCAL_RULE = 'The PIM URL must use https (or http for a PIM on this machine: localhost, 127.0.0.1)';

    it.each(['javascript:alert(1)', 'ftp://pim.example.com', 'http://pim.example.com', 'http://localhost:3001'])(
      'on AWS, https only: %s',
      (raw) => {
        expect(() => normalisePimUrl(raw, aws)).toThrow(new InvalidPimUrlError(AWS_RULE));
      },
    );

    it.each(['javascript:alert(1)', 'ftp://pim.example.com', 'http://pim.example.com'])(
      'locally, https or http on this machine: %s',
      (raw) => {
        expect(() => normalisePimUrl(raw, local)).toThrow(new InvalidPimUrlError(LOCAL_RULE));
      },
    );
  });
});
