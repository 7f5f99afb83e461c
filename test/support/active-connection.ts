import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TokenCipher } from '../../functions/adapters/token-cipher/interface';

/**
 * Writes the active connection of a PIM (the sandbox, a fake) to a connections table, as a callback would have left
 * it: its token sealed to its host by `cipher`. Returns the PIM's host.
 */
export async function saveActiveConnection(
  target: { readonly documents: DynamoDBDocumentClient; readonly tableName: string; readonly cipher: TokenCipher },
  pim: { readonly url: string },
  token: string,
  { scopes = ['read_products'], extra = {} }: { scopes?: readonly string[]; extra?: Record<string, unknown> } = {},
): Promise<string> {
  const pimHost = new URL(pim.url).host;
  const sealer = await target.cipher.prepare(pimHost);
  await target.documents.send(
    new PutCommand({
      TableName: target.tableName,
      Item: {
        pimHost,
        pimUrl: pim.url,
        status: 'active',
        encryptedToken: sealer.seal(token),
        tokenVersion: 'v1',
        scopes: [...scopes],
        firstConnectedAt: '2026-11-28T00:00:00.000Z',
        connectedAt: '2026-11-28T00:00:00.000Z',
        updatedAt: '2026-11-28T00:00:00.000Z',
        lastStateHash: 'h',
        ...extra,
      },
    }),
  );
  return pimHost;
}
