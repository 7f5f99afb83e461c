/**
 * The Callback's irreducible work with nothing else: a lower bound for its cold start, not an implementation.
 * Node's own http, crypto and nothing more: the six remote exchanges of a cold callback, in its three steps (state
 * and credentials; token, key set and data key side by side; the connection's write), to a loopback server that
 * answers at once, then one RS256 signature check and one AES-256-GCM seal.
 *   FLOOR_URL  the instant server;  FLOOR_JWT  an RS256 JWT;  FLOOR_JWK  its public key, JSON
 */
import { createCipheriv, createPublicKey, randomBytes, verify } from 'node:crypto';
import { request } from 'node:http';

const env = (name: string) => process.env[name] ?? '';

function exchange(path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const call = request(`${env('FLOOR_URL')}${path}`, { method: 'POST' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    call.on('error', reject);
    call.end(body);
  });
}

export async function handler(): Promise<{ statusCode: number; body: string }> {
  await Promise.all([exchange('/dynamodb', '{"UpdateItem":1}'), exchange('/secretsmanager', '{}')]);
  await Promise.all([exchange('/token', 'code=x'), exchange('/jwks', ''), exchange('/kms', '{}')]);
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
  await exchange('/dynamodb', JSON.stringify({ PutItem: sealed.toString('base64') }));
  return { statusCode: valid ? 200 : 500, body: '<!doctype html><title>Connected</title>' };
}
