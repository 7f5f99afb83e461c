import type { PimCredentials } from '../../functions/adapters/credentials-registry';
import type { PimAddress } from '../../functions/core/pim-url';
import type { CommandIo } from '../io';
import { warn } from '../output';
import { readClientSecret, type SecretSource } from '../read-secret';
import type { TargetFlags } from '../target';
import { clientIdFrom, credentialWarnings, pimAddressFrom, pimUrlPolicy } from '../validate';

export interface CredentialsFlags extends TargetFlags, SecretSource {
  readonly clientId: string;
}

export interface CredentialsInput {
  readonly pim: PimAddress;
  readonly credentials: PimCredentials;
}

/** The PIM and its credentials from the command line, checked before the secret is even read. */
export async function readCredentialsInput(
  pimUrl: string,
  flags: CredentialsFlags,
  io: CommandIo,
): Promise<CredentialsInput> {
  const pim = pimAddressFrom(pimUrl, pimUrlPolicy(flags, io.env));
  const clientId = clientIdFrom(flags.clientId);
  const clientSecret = await readClientSecret(flags, io);
  io.keepSecret(clientSecret);
  for (const warning of credentialWarnings(clientId, clientSecret)) warn(io, warning);
  return { pim, credentials: { clientId, clientSecret } };
}
