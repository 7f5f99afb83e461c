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

export interface TableFit {
  /** The widest a line may be. */
  readonly maxWidth: number;
  /** The column whose cells are shortened (in the middle, with `…`) when a line would be wider. */
  readonly shrink: number;
}

/**
 * A plain-text table with a header line; columns as wide as their widest cell. With `fit`, one column gives way so
 * that no line is wider than `fit.maxWidth` (the others keep their width).
 */
export function printTable<Row>(
  io: CliIo,
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  fit?: TableFit,
): void {
  const cells = rows.map((row) => columns.map((column) => withoutControlCharacters(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  if (fit) {
    const total = widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1);
    const shrunk = Math.max(columns[fit.shrink]?.title.length ?? 0, (widths[fit.shrink] ?? 0) - (total - fit.maxWidth));
    if (total > fit.maxWidth) {
      widths[fit.shrink] = shrunk;
      for (const line of cells) line[fit.shrink] = shortened(line[fit.shrink] ?? '', shrunk);
    }
  }
  const render = (line: readonly string[]) =>
    line
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  printLine(io, render(columns.map((column) => column.title)));
  for (const line of cells) printLine(io, render(line));
}

/** `text` cut to `width` characters in its middle (`my-long-p…akeneo.com`): both ends of a host name stay. */
export function shortened(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

function unicodeEscape(character: string): string {
  return `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}
