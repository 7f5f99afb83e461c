import { withCredentialsAdmin } from '../credentials-admin/for-target';
import { type CommandIo, EXIT_OK } from '../io';
import { printLine } from '../output';
import { resolveTarget } from '../target';
import { type CredentialsFlags, readCredentialsInput } from './credentials-input';

/** `add <pimUrl>`: registers a PIM's credentials; refuses a PIM that is already registered. */
export async function addPim(pimUrl: string, flags: CredentialsFlags, io: CommandIo): Promise<number> {
  const { pim, credentials } = await readCredentialsInput(pimUrl, flags, io);
  const target = await resolveTarget(flags, io);
  const change = await withCredentialsAdmin(target, (admin) => admin.add(pim, credentials));
  printLine(io, `Registered ${pim.url} (client id ${credentials.clientId}) in ${change.location}.`);
  printLine(io, `An admin of that PIM can now click Connect (or Open app) on the app.`);
  return EXIT_OK;
}
