import type { OpsError } from './errors';
import type { CliIo } from './io';

export function printLine(io: CliIo, text: string): void {
  io.stdout.write(`${text}\n`);
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function warn(io: CliIo, message: string): void {
  io.stderr.write(`warning: ${message}\n`);
}

export function printError(io: CliIo, error: Pick<OpsError, 'message'>): void {
  io.stderr.write(`error: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
}

export interface Column<Row> {
  readonly title: string;
  readonly value: (row: Row) => string;
}

/** A plain-text table with a header line; columns as wide as their widest cell. */
export function printTable<Row>(io: CliIo, rows: readonly Row[], columns: readonly Column<Row>[]): void {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
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
