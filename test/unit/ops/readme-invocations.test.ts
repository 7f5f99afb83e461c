import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type PimCommands, runPimCli } from '../../../ops/cli';

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
/** What a `<placeholder>` of the README stands for: any value will do, nothing runs. */
const VALUE = 'value';

/** Each line of every code block (without its `#` comment), and each inline code span, on one line. */
function codeTexts(markdown: string): string[] {
  const block = /^[ \t]*```[^\n]*\n([\s\S]*?)^[ \t]*```/gm;
  const blockLines = [...markdown.matchAll(block)].flatMap((match) =>
    (match[1] ?? '').split('\n').map((line) => line.replace(/(^|\s)#.*$/, '')),
  );
  const spans = [...markdown.replace(block, '').matchAll(/`([^`]+)`/g)].map((match) =>
    (match[1] ?? '').replace(/\\\|/g, '|').replace(/\s+/g, ' '),
  );
  return [...blockLines, ...spans];
}

/** The arguments of every `npm run pim -- …` (or `npm run -s pim -- …`) the README shows, up to a shell pipe. */
function documentedCommandLines(markdown: string): string[][] {
  return codeTexts(markdown).flatMap((text) =>
    [...text.matchAll(/npm run (?:-s )?pim -- ([^|]*)/g)].map((match) => words(match[1] ?? '')),
  );
}

function words(commandLine: string): string[] {
  return commandLine
    .replace(/<[^>]+>/g, VALUE)
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

/** A command line that leaves something out (`add …`, `<command>`): only what it does name can be checked. */
function isElided(argv: readonly string[]): boolean {
  return argv[0] === VALUE || argv.some((word) => word === '…' || word === '...');
}

/**
 * The synopses of the command table in "The ops CLI" (`list [--json]`), each expanded into concrete command lines:
 * without its optional groups, then with each alternative of each group.
 */
function synopsisCommandLines(markdown: string): string[][] {
  const section = /^## The ops CLI\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1] ?? '';
  const synopses = [...section.matchAll(/^\| `([^`]+)`/gm)].map((match) => (match[1] ?? '').replace(/\\\|/g, '|'));
  return synopses.flatMap((synopsis) => {
    const groups = [...synopsis.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1] ?? '');
    const required = synopsis.replace(/\[[^\]]+\]/g, ' ');
    const alternatives = groups
      .flatMap((group) => group.split('|'))
      .map((alternative) => alternative.trim())
      .filter((alternative) => alternative !== '...' && alternative !== '…');
    return [words(required), ...alternatives.map((alternative) => words(`${required} ${alternative}`))];
  });
}

interface Parsed {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The command whose action commander reached (with the parsed arguments), if any. */
  readonly ran?: string;
}

/** Parses a command line with the CLI's own commander program; the commands themselves are not run. */
async function parse(argv: readonly string[]): Promise<Parsed> {
  let ran: string | undefined;
  const reached = (name: keyof PimCommands) => async () => {
    // As typed on the command line: rotateEventSecret is `rotate-event-secret`.
    ran = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    return 0;
  };
  const commands: PimCommands = {
    add: reached('add'),
    rotate: reached('rotate'),
    list: reached('list'),
    remove: reached('remove'),
    status: reached('status'),
    rotateEventSecret: reached('rotateEventSecret'),
  };
  let stdout = '';
  let stderr = '';
  const io = {
    stdin: new PassThrough(),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    env: {},
  };
  const code = await runPimCli(argv, io, commands);
  return { code, stdout, stderr, ...(ran ? { ran } : {}) };
}

/** Commander accepts the whole line and reaches the named command (or shows the help or the version). */
async function expectAccepted(argv: readonly string[]): Promise<void> {
  const { stdout: _shown, ...parsed } = await parse(argv);
  const informational = argv.some((word) => ['--help', '-h', '--version', '-V'].includes(word));
  expect({ argv, ...parsed }).toEqual({ argv, code: 0, stderr: '', ...(informational ? {} : { ran: argv[0] }) });
}

/** The flags a command's help lists (every command's when none is named). */
async function flagsOf(command: string | undefined): Promise<Set<string>> {
  const names = command ? [command] : ['add', 'rotate', 'list', 'remove', 'status'];
  const helps = await Promise.all(names.map((name) => parse([name, '--help'])));
  return new Set(helps.flatMap((help) => [...help.stdout.matchAll(/(?:^|[\s,])(--[a-z][a-z-]*)/gm)].map((m) => m[1])));
}

async function expectNamedPartsExist(argv: readonly string[]): Promise<void> {
  const command = /^[a-z]/.test(argv[0] ?? '') && argv[0] !== VALUE ? argv[0] : undefined;
  if (command) expect(await parse([command, '--help'])).toMatchObject({ code: 0, stderr: '' });
  const known = await flagsOf(command);
  for (const flag of argv.filter((word) => word.startsWith('--')))
    expect({ command, flag, known: known.has(flag) }).toEqual({ command, flag, known: true });
}

describe('the README and the ops CLI', () => {
  const commandLines = documentedCommandLines(README);

  it('finds the documented command lines (a README without them would check nothing)', () => {
    expect(commandLines.filter((argv) => !isElided(argv)).length).toBeGreaterThanOrEqual(10);
    expect(synopsisCommandLines(README).length).toBeGreaterThanOrEqual(8);
  });

  it('every `npm run pim -- …` it shows is accepted by the CLI, arguments and flags included', async () => {
    for (const argv of commandLines.filter((line) => !isElided(line))) await expectAccepted(argv);
  });

  it('every elided `npm run pim -- …` names an existing command and existing flags', async () => {
    for (const argv of commandLines.filter(isElided)) await expectNamedPartsExist(argv);
  });

  it('every synopsis in the command table is accepted, with and without each optional flag', async () => {
    for (const argv of synopsisCommandLines(README)) await expectAccepted(argv);
  });

  it('would catch a documented flag that a command lacks, and a missing required argument', async () => {
    expect(await parse(['list', '--aws', '--connections-table', VALUE])).toMatchObject({ code: 2 });
    expect(await parse(['remove', '--aws'])).toMatchObject({ code: 2 });
    expect(await parse(['remove', VALUE, '--aws'])).toMatchObject({ code: 0, ran: 'remove' });
  });
});
