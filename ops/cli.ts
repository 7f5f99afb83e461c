import { Command, CommanderError, Option } from 'commander';
import { version } from '../package.json';
import { addPim } from './commands/add';
import type { CredentialsFlags } from './commands/credentials-input';
import { type ListFlags, listPims } from './commands/list';
import { type RemoveFlags, removePim } from './commands/remove';
import { rotatePim } from './commands/rotate';
import { type RotateEventSecretFlags, rotateEventSecret } from './commands/rotate-event-secret';
import { type StatusFlags, showStatus } from './commands/status';
import { describeFailure } from './failure';
import { type CliIo, type CommandIo, EXIT_OK, EXIT_USAGE } from './io';
import { printError } from './output';
import { redactingIo } from './redacting-io';

export type { CliIo } from './io';

/** What each command does once its arguments and flags are parsed; each resolves to the exit code. */
export interface PimCommands {
  add(pimUrl: string, flags: CredentialsFlags, io: CommandIo): Promise<number>;
  rotate(pimUrl: string, flags: CredentialsFlags, io: CommandIo): Promise<number>;
  list(flags: ListFlags, io: CommandIo): Promise<number>;
  remove(pimUrl: string, flags: RemoveFlags, io: CommandIo): Promise<number>;
  rotateEventSecret(pimUrl: string, flags: RotateEventSecretFlags, io: CommandIo): Promise<number>;
  status(pimUrl: string | undefined, flags: StatusFlags, io: CommandIo): Promise<number>;
}

export const PIM_COMMANDS: PimCommands = {
  add: addPim,
  rotate: rotatePim,
  list: listPims,
  remove: removePim,
  status: showStatus,
  rotateEventSecret,
};

/**
 * Runs one `npm run pim -- <command>`; resolves to the exit code. Never throws. Other `commands` keep the parsing
 * and replace what runs: the README's test checks every documented command line that way, without running it.
 */
export async function runPimCli(
  argv: readonly string[],
  callerIo: CliIo,
  commands: PimCommands = PIM_COMMANDS,
): Promise<number> {
  const io = redactingIo(callerIo);
  let exitCode = EXIT_OK;
  const program = buildProgram(io, commands, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has already printed its own usage errors (and help, which ends with code 0).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const failure = describeFailure(error);
    printError(io, failure);
    return failure.exitCode;
  }
}

function buildProgram(io: CommandIo, commands: PimCommands, done: (exitCode: number) => void): Command {
  const program = new Command('pim')
    .description(
      'Register Akeneo PIMs with the app and see their connections (local data directory, or AWS with --aws).',
    )
    .version(version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${text.trimEnd()} (add --help for usage)\n`),
    })
    .showSuggestionAfterError(false)
    .addHelpText(
      'after',
      [
        '',
        'Every command works on the local run (the data directory DATA_DIR, default .local) unless given --aws.',
        'Exit codes: 0 done, 1 the operation failed (unknown PIM, duplicate, AWS error), 2 bad usage or input.',
        'Run `npm run pim -- <command> --help` for the options of a command.',
      ].join('\n'),
    );

  withTarget(
    withCredentials(program.command('add').description('Register a PIM: the client id and secret of its custom app.')),
  ).action(async (pimUrl: string, flags: CredentialsFlags) => done(await commands.add(pimUrl, flags, io)));

  withTarget(
    withCredentials(
      program.command('rotate').description("Replace a registered PIM's credentials after Regenerate in that PIM."),
    ),
  ).action(async (pimUrl: string, flags: CredentialsFlags) => done(await commands.rotate(pimUrl, flags, io)));

  withTarget(program.command('list').description('The registered PIMs, with client id (never the secret).'))
    .option('--json', 'print JSON')
    .action(async (flags: ListFlags) => done(await commands.list(flags, io)));

  withTarget(program.command('remove').description('Unregister a PIM; its stored connection stays.'))
    .argument('<pimUrl>', "the PIM's address, like https://my-pim.cloud.akeneo.com")
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (pimUrl: string, flags: RemoveFlags) => done(await commands.remove(pimUrl, flags, io)));

  withTarget(
    program
      .command('status')
      .argument('[pimUrl]', "one PIM in full (its URL, as in the PIM's address bar)")
      .description("The connections and their sync's health: status, last sync, lag, failures, scopes."),
  )
    .option('--connections-table <name>', 'with --aws: the Connections table (else CONNECTIONS_TABLE_NAME)')
    .option('--json', 'print JSON (schema: ops/status.schema.json)')
    .option('--wide', 'every column, nothing shortened (wider than 100 columns)')
    .action(async (pimUrl: string | undefined, flags: StatusFlags) => done(await commands.status(pimUrl, flags, io)));

  withTarget(
    program
      .command('rotate-event-secret')
      .description("Rotate a PIM's Event Platform events secret: stage a new one, then --promote it."),
  )
    .argument('<pimUrl>', "the PIM's address, like https://my-pim.cloud.akeneo.com")
    .option('--promote', 'make the staged secret the only one (after an Open app in the PIM)')
    .action(async (pimUrl: string, flags: RotateEventSecretFlags) =>
      done(await commands.rotateEventSecret(pimUrl, flags, io)),
    );

  return program;
}

function withCredentials(command: Command): Command {
  return command
    .argument('<pimUrl>', "the PIM's address, like https://my-pim.cloud.akeneo.com")
    .requiredOption('--client-id <id>', "the app's Client ID, as shown by the PIM")
    .option('--client-secret-stdin', 'read the client secret from standard input')
    .addOption(new Option('--client-secret <value>', 'the client secret (visible in shell history: prefer stdin)'))
    .addHelpText(
      'after',
      '\nWithout a secret flag, the secret is asked for (hidden) at a terminal, else read from standard input.',
    );
}

function withTarget(command: Command): Command {
  return command
    .option('--aws', 'work on the deployed stack (Secrets Manager, DynamoDB) instead of the local data directory')
    .option('--region <region>', 'with --aws: the AWS region (else AWS_REGION)')
    .option(
      '--secret-prefix <prefix>',
      'with --aws: secret name prefix (else CREDENTIALS_SECRET_PREFIX, else the default)',
    )
    .option('--stack <name>', "with --aws: read the prefix and table names from this stack's outputs");
}
