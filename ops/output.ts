import { withoutControlCharacters } from '../functions/core/plain-text';
import type { CliIo } from './io';

/**
 * Every line the CLI prints loses its control characters here, so no stored text (a PIM's message or names, saved
 * before the edge stripped them) can move the cursor or rewrite the screen.
 */
export function printLine(io: CliIo, text: string): void {
  io.stdout.write(`${withoutControlCharacters(text)}\n`);
}

/** JSON.stringify escapes C0 controls itself; DEL and C1 are escaped too, so the values survive intact but inert. */
export function printJson(io: CliIo, value: unknown): void {
  const json = JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (character) => unicodeEscape(character));
  io.stdout.write(`${json}\n`);
}

export function warn(io: CliIo, message: string): void {
  io.stderr.write(`warning: ${withoutControlCharacters(message)}\n`);
}

export function printError(io: CliIo, error: { readonly message: string }): void {
  io.stderr.write(`error: ${withoutControlCharacters(error.message.replace(/\s*\n\s*/g, ' '))}\n`);
}

export interface Column<Row> {
  readonly title: string;
  readonly value: (row: Row) => string;
}

/** A plain-text table with a header line; columns as wide as their widest cell. */
export function printTable<Row>(io: CliIo, rows: readonly Row[], columns: readonly Column<Row>[]): void {
  const cells = rows.map((row) => columns.map((column) => withoutControlCharacters(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  printLine(io, render(columns.map((column) => column.title)));
  for (const line of cells) printLine(io, render(line));
}

function unicodeEscape(character: string): string {
  return `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}
