import { withCredentialsAdmin } from '../credentials-admin/for-target';
import { type CliIo, EXIT_OK } from '../io';
import { printJson, printLine, printTable, warn } from '../output';
import { resolveTarget, type TargetFlags } from '../target';

export interface ListFlags extends TargetFlags {
  readonly json?: boolean;
}

/** `list`: the registered PIMs with their client id (never the secret) and when they last changed. */
export async function listPims(flags: ListFlags, io: CliIo): Promise<number> {
  const target = await resolveTarget(flags, io);
  const { pims, where } = await withCredentialsAdmin(target, async (admin) => ({
    pims: await admin.list(),
    where: admin.target,
  }));
  for (const pim of pims.filter((entry) => entry.clientId === undefined)) {
    warn(
      io,
      `the credentials of ${pim.pimUrl} (${pim.location}) are not {"clientId", "clientSecret"}: fix them with \`rotate\``,
    );
  }
  if (flags.json) {
    printJson(
      io,
      pims.map(({ pimUrl, pimHost, clientId, lastChangedAt, location }) => ({
        pimUrl,
        pimHost,
        clientId: clientId ?? null,
        lastChangedAt: lastChangedAt ?? null,
        location,
      })),
    );
    return EXIT_OK;
  }
  if (pims.length === 0) {
    printLine(
      io,
      `No PIM is registered in ${where}. Register one with: npm run pim -- add <pimUrl> --client-id <id> --client-secret-stdin`,
    );
    return EXIT_OK;
  }
  printTable(io, pims, [
    { title: 'PIM', value: (pim) => pim.pimUrl },
    { title: 'CLIENT ID', value: (pim) => pim.clientId ?? '(unreadable)' },
    { title: 'LAST CHANGED', value: (pim) => pim.lastChangedAt ?? '-' },
  ]);
  return EXIT_OK;
}
