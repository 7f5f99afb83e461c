import { PimNotRegisteredError } from '../../functions/core/errors';
import { withCredentialsAdmin } from '../credentials-admin/for-target';
import { CancelledError, ConfirmationRequiredError } from '../errors';
import { type CliIo, EXIT_OK } from '../io';
import { printLine } from '../output';
import { promptLine } from '../prompt';
import { resolveTarget, type TargetFlags } from '../target';
import { pimAddressFrom, pimUrlPolicy } from '../validate';

export interface RemoveFlags extends TargetFlags {
  readonly yes?: boolean;
}

/** `remove <pimUrl>`: unregisters a PIM, after a confirmation unless `--yes`. */
export async function removePim(pimUrl: string, flags: RemoveFlags, io: CliIo): Promise<number> {
  const pim = pimAddressFrom(pimUrl, pimUrlPolicy(flags, io.env));
  const target = await resolveTarget(flags, io);
  const { location } = await withCredentialsAdmin(target, async (admin) => {
    const registered = await admin.find(pim);
    if (!registered) throw new PimNotRegisteredError(pim.url);
    if (!flags.yes) {
      if (!io.isTTY) {
        throw new ConfirmationRequiredError(`Removing ${pim.url} needs a confirmation: run it again with --yes`);
      }
      const question = `Remove the credentials of ${pim.url} (client id ${registered.clientId ?? 'unreadable'}) from ${admin.target}? [y/N] `;
      const answer = await promptLine(io, question);
      if (!/^y(es)?$/i.test(answer.trim())) throw new CancelledError('Cancelled: nothing was removed');
    }
    return admin.remove(pim);
  });
  printLine(io, `Removed the credentials of ${pim.url} from ${location}.`);
  printLine(
    io,
    `Its connection, if there is one, stays stored and its token keeps working for sync; new connections from ${pim.url} are refused until it is registered again with \`add\`.`,
  );
  return EXIT_OK;
}
