import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDbConnectionStore } from '../../functions/adapters/connection-store';
import { SecretsManagerCredentialsRegistry } from '../../functions/adapters/credentials-registry';
import { DynamoDbStateStore } from '../../functions/adapters/state-store';
import { KmsTokenCipher } from '../../functions/adapters/token-cipher/kms';
import { OpenIdVerifier } from '../../functions/akeneo/openid';
import { PimHttp } from '../../functions/akeneo/pim-http';
import { requestAccessToken } from '../../functions/akeneo/token-endpoint';
import { type Config, requireSetting } from '../../functions/config';
import { codeChallenge, codeIdentifierFrom } from '../../functions/core/code-challenge';
import { connectedByFrom, tokenVersionOf } from '../../functions/core/connection';
import { sha256Hex } from '../../functions/core/state';
import { createDocumentClient } from '../../functions/wiring/adapters/dynamodb';
import { awsClients } from '../../functions/wiring/aws-clients';
import { systemRandomBytes } from '../../functions/wiring/runtime-options';

export interface NaiveCallbackInput {
  readonly code: string;
  readonly state: string;
  readonly browserBinding: string;
  /** Epoch seconds. */
  readonly now: number;
}

/**
 * The straightforward callback, for comparison: the same adapters as the real one, every call awaited in turn and
 * nothing cached: consume the state, read the credentials, exchange the code, fetch the PIM's key and verify the
 * id_token, get a KMS data key, save the connection.
 */
export function naiveCallback(config: Config) {
  const aws = awsClients('callback');
  const documents = createDocumentClient(config, aws);
  const http = new PimHttp({
    timeoutMs: config.pimTimeoutMs,
  });
  const states = new DynamoDbStateStore({ client: documents, tableName: requireSetting(config, 'statesTableName') });
  const connections = new DynamoDbConnectionStore({
    client: documents,
    tableName: requireSetting(config, 'connectionsTableName'),
  });
  const credentials = new SecretsManagerCredentialsRegistry({
    client: aws.create(SecretsManagerClient),
    prefix: config.credentialsSecretPrefix,
    maxAgeSeconds: 0,
  });
  const cipher = new KmsTokenCipher({ keyId: requireSetting(config, 'tokenKmsKeyId'), kms: aws.create(KMSClient) });

  return async (input: NaiveCallbackInput): Promise<string> => {
    const stateHash = sha256Hex(input.state);
    const authorization = await states.consume(stateHash, sha256Hex(input.browserBinding), input.now);
    const { pimUrl, pimHost } = authorization;
    const pimCredentials = await credentials.get(pimHost, { fresh: true });
    if (!pimCredentials) throw new Error(`No credentials for ${pimHost}`);
    const codeIdentifier = codeIdentifierFrom(systemRandomBytes(30));
    const token = await requestAccessToken(http, pimUrl, {
      clientId: pimCredentials.clientId,
      code: input.code,
      codeIdentifier,
      codeChallenge: codeChallenge(codeIdentifier, pimCredentials.clientSecret),
    });
    // A verifier per request: the key is fetched every time.
    const identity = token.idToken
      ? await new OpenIdVerifier(http).verify(token.idToken, {
          pimUrl,
          clientId: pimCredentials.clientId,
          now: input.now,
        })
      : undefined;
    const sealer = await cipher.prepare(pimHost);
    const tokenVersion = tokenVersionOf(token.accessToken);
    await connections.saveAuthorization({
      pimHost,
      pimUrl,
      encryptedToken: sealer.seal(token.accessToken),
      tokenVersion,
      scopes: token.scopes,
      connectedBy: identity ? connectedByFrom(identity) : undefined,
      connectedAt: new Date(input.now * 1000).toISOString(),
      stateHash,
    });
    return tokenVersion;
  };
}
