import { randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  LocalFileEventPlatformSecretStore,
  SecretsManagerEventPlatformSecretStore,
} from '../../functions/adapters/event-platform-secrets';
import { newSigningSecret } from '../../functions/core/event-platform';
import { OperationFailedError } from '../errors';
import { type CliIo, EXIT_OK } from '../io';
import { printLine } from '../output';
import { resolveTarget, type Target, type TargetFlags } from '../target';
import { pimAddressFrom, pimUrlPolicy } from '../validate';

export interface RotateEventSecretFlags extends TargetFlags {
  readonly promote?: boolean;
}

/**
 * `rotate-event-secret <pimUrl>`: a new events signing secret for a PIM, in two steps so that no delivery fails to
 * verify. Without `--promote` the new secret is staged as the secondary (the app accepts either); with it, the
 * secondary replaces the primary. The PIM's next connect or Open app brings the subscription up to date after each.
 */
export async function rotateEventSecret(pimUrl: string, flags: RotateEventSecretFlags, io: CliIo): Promise<number> {
  const pim = pimAddressFrom(pimUrl, pimUrlPolicy(flags, io.env));
  const target = await resolveTarget(flags, io);
  const command = `npm run pim -- rotate-event-secret ${pim.url}${target.kind === 'aws' ? ' --aws' : ''}`;
  await withEventPlatformSecretStore(target, async (store) => {
    const current = await store.get(pim.host);
    if (!current) {
      throw new OperationFailedError(
        `${pim.url} has no Event Platform secrets yet: they are made when it subscribes, at its next connect`,
      );
    }
    const { primary, secondary } = current.events;
    if (flags.promote) {
      if (secondary === undefined) {
        throw new OperationFailedError(`No new secret is staged for ${pim.url}: run \`${command}\` first`);
      }
      await store.put(pim.host, { ...current, events: { primary: secondary } });
      printLine(io, `Promoted the staged events secret of ${pim.url}: it is the only one the app accepts now.`);
      printLine(io, 'Next: a PIM user clicks Open app on the app, so that the subscription signs with it alone.');
      return;
    }
    if (secondary !== undefined) {
      throw new OperationFailedError(
        `A new events secret is staged for ${pim.url} already: promote it with \`${command} --promote\``,
      );
    }
    await store.put(pim.host, { ...current, events: { primary, secondary: newSigningSecret(randomBytes) } });
    printLine(io, `Staged a new events secret for ${pim.url} as the secondary: the app accepts either now.`);
    printLine(
      io,
      `Next: a PIM user clicks Open app on the app (the subscription then signs with both), then run \`${command} --promote\`.`,
    );
  });
  return EXIT_OK;
}

async function withEventPlatformSecretStore(
  target: Target,
  // The classes, not their interface: the least-privilege test follows each call to the SDK command it sends.
  work: (store: LocalFileEventPlatformSecretStore | SecretsManagerEventPlatformSecretStore) => Promise<void>,
): Promise<void> {
  if (target.kind === 'local') return work(new LocalFileEventPlatformSecretStore(target.config.dataDir));
  const client = new SecretsManagerClient({ region: target.region });
  try {
    await work(new SecretsManagerEventPlatformSecretStore({ client, prefix: target.secretPrefix }));
  } finally {
    client.destroy();
  }
}
