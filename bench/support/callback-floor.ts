/**
 * The Callback's irreducible work with nothing else: a lower bound for its cold start, not an implementation.
 * Node's own http, https, crypto and nothing more: the six remote exchanges of a cold callback, in its three steps
 * (state and credentials; token, key set and data key side by side; the connection's write), to loopback servers
 * that answer at once (the PIM's two over https, as the Callback reaches a PIM; the AWS ones over plain http, as the
 * bench's stand-ins answer), then one RS256 signature check and one AES-256-GCM seal.
 *   FLOOR_URL  the instant http server;  FLOOR_PIM_URL  the instant https server (trusted by NODE_EXTRA_CA_CERTS);
 *   FLOOR_JWT  an RS256 JWT;  FLOOR_JWK  its public key, JSON
 */
import { createCipheriv, createPublicKey, randomBytes, verify } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const env = (name: string) => process.env[name] ?? '';

function exchange(url: string, body: string): Promise<string> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const call = request(url, { method: 'POST' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    call.on('error', reject);
    call.end(body);
  });
}

export async function handler(): Promise<{ statusCode: number; body: string }> {
  const aws = env('FLOOR_URL');
  const pim = env('FLOOR_PIM_URL');
  await Promise.all([exchange(`${aws}/dynamodb`, '{"UpdateItem":1}'), exchange(`${aws}/secretsmanager`, '{}')]);
  await Promise.all([exchange(`${pim}/token`, 'code=x'), exchange(`${pim}/jwks`, ''), exchange(`${aws}/kms`, '{}')]);
  const [header, payload, signature] = env('FLOOR_JWT').split('.');
  const key = createPublicKey({ key: JSON.parse(env('FLOOR_JWK')), format: 'jwk' });
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    key,
    Buffer.from(signature ?? '', 'base64url'),
  );
  const cipher = createCipheriv('aes-256-gcm', randomBytes(32), randomBytes(12));
  const sealed = Buffer.concat([cipher.update('token', 'utf8'), cipher.final(), cipher.getAuthTag()]);
  await exchange(`${aws}/dynamodb`, JSON.stringify({ PutItem: sealed.toString('base64') }));
  return { statusCode: valid ? 200 : 500, body: '<!doctype html><title>Connected</title>' };
}
