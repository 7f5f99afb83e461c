import { withCredentialsAdmin } from '../credentials-admin/for-target';
import { type CommandIo, EXIT_OK } from '../io';
import { printLine, warn } from '../output';
import { resolveTarget } from '../target';
import { type CredentialsFlags, readCredentialsInput } from './credentials-input';

/** `rotate <pimUrl>`: replaces a registered PIM's credentials after *Regenerate* in that PIM. */
export async function rotatePim(pimUrl: string, flags: CredentialsFlags, io: CommandIo): Promise<number> {
  const { pim, credentials } = await readCredentialsInput(pimUrl, flags, io);
  const target = await resolveTarget(flags, io);
  const change = await withCredentialsAdmin(target, (admin) => admin.rotate(pim, credentials));
  if (change.previousClientId !== undefined && change.previousClientId !== credentials.clientId) {
    warn(
      io,
      `the client id changed (was ${change.previousClientId}): Regenerate keeps the client id, so check this is the right app`,
    );
  }
  const version = change.versionId
    ? ` New version ${change.versionId} is AWSCURRENT; the previous one stays readable as AWSPREVIOUS.`
    : '';
  printLine(io, `Rotated the credentials of ${pim.url} in ${change.location}.${version}`);
  printLine(io, 'New connections use them now; existing connections keep their tokens and need nothing.');
  return EXIT_OK;
}
