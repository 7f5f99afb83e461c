import { InvalidPimRequestError } from './rest-errors';

/** The most lines Akeneo takes in one collection PATCH (its `api_input_max_resources_number`). */
export const MAX_LINES_PER_PATCH = 100;

/** One product in Akeneo's standard format, with its `uuid`: a line of `PATCH /api/rest/v1/products-uuid`. */
export type ProductLine = Readonly<Record<string, unknown>>;

/**
 * `created` (201) and `updated` (204) were applied; `refused` was not (the PIM said why); `unknown`: no result came
 * for the line (the answer broke off), so it may or may not have been applied. A line sets values, so sending an
 * `unknown` line again is safe.
 */
export type ProductWriteOutcome = 'created' | 'updated' | 'refused' | 'unknown';

/** One violation of a line refused with `Validation failed.`, as the PIM words it. */
export interface ProductViolation {
  readonly property?: string;
  readonly message?: string;
  readonly attribute?: string;
  readonly locale?: string | null;
  readonly scope?: string | null;
}

/** What became of one line given to `patchProducts`. */
export interface ProductWriteResult {
  /** The line's place among the lines given, from 1 (whatever call it went in). */
  readonly line: number;
  /** The PIM's, else the line's own when it has one. */
  readonly uuid?: string;
  readonly outcome: ProductWriteOutcome;
  /** The PIM's `status_code` for the line (201, 204, 400, 413 for a line too long, 422); absent when unknown. */
  readonly statusCode?: number;
  readonly message?: string;
  readonly errors?: readonly ProductViolation[];
}

/**
 * Sends one collection PATCH (NDJSON, at most `MAX_LINES_PER_PATCH` lines) and hands each line of the PIM's answer to
 * `onLine` as it arrives. Resolves once the answer ended or broke off after some lines; throws when the call failed as
 * a whole before any line came.
 */
export type SendCollection = (body: string, onLine: (line: string) => void) => Promise<void>;

export interface WriteProductsOptions {
  /** Calls sent at once: the connection's call slots bound them anyway; more would only queue for a slot. */
  readonly lanes: number;
}

/**
 * Writes products with as many collection PATCH calls of at most 100 lines as they need, `lanes` at a time, and
 * returns one result per line, in the order given. Lines that cannot be sent as JSON objects are refused before
 * anything is sent. A call that fails as a whole (its error: 401, 403, 413, 415, or a PIM that kept failing) ends
 * the write with its error once the calls under way are done, and no further call is started.
 */
export async function writeProducts(
  lines: readonly ProductLine[],
  send: SendCollection,
  { lanes }: WriteProductsOptions,
): Promise<ProductWriteResult[]> {
  const texts = serialiseLines(lines);
  const results: Array<ProductWriteResult | undefined> = new Array(lines.length);
  const chunks: Array<{ readonly offset: number; readonly body: string; readonly size: number }> = [];
  for (let offset = 0; offset < texts.length; offset += MAX_LINES_PER_PATCH) {
    const part = texts.slice(offset, offset + MAX_LINES_PER_PATCH);
    chunks.push({ offset, body: part.join('\n'), size: part.length });
  }
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const lane = async () => {
    while (failure === undefined && next < chunks.length) {
      const chunk = chunks[next++] as (typeof chunks)[number];
      try {
        await send(chunk.body, (text) => {
          const answer = readAnswerLine(text, chunk.size);
          const index = answer === undefined ? undefined : chunk.offset + answer.line - 1;
          if (answer === undefined || index === undefined || results[index] !== undefined) return;
          results[index] = resultOf(index + 1, answer, lines[index]);
        });
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, chunks.length) }, lane));
  if (failure !== undefined) throw failure.error;
  return lines.map((line, index) => results[index] ?? unknownResult(index + 1, line));
}

function serialiseLines(lines: readonly ProductLine[]): string[] {
  return lines.map((line, index) => {
    if (typeof line !== 'object' || line === null || Array.isArray(line)) {
      throw new InvalidPimRequestError(
        `Line ${index + 1} is not a product (a JSON object with its uuid); nothing was sent`,
      );
    }
    try {
      return JSON.stringify(line);
    } catch (error) {
      const why = error instanceof Error ? error.message : 'it cannot be written as JSON';
      throw new InvalidPimRequestError(`Line ${index + 1} cannot be written as JSON (${why}); nothing was sent`);
    }
  });
}

interface AnswerLine {
  readonly line: number;
  readonly uuid?: unknown;
  readonly status_code: number;
  readonly message?: unknown;
  readonly errors?: unknown;
}

/** One line of the PIM's answer, when it is one: JSON with a `line` among those sent and a numeric `status_code`. */
function readAnswerLine(text: string, linesSent: number): AnswerLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { line, status_code: status } = value as Record<string, unknown>;
  if (!Number.isInteger(line) || (line as number) < 1 || (line as number) > linesSent) return undefined;
  if (!Number.isInteger(status)) return undefined;
  return value as AnswerLine;
}

function resultOf(line: number, answer: AnswerLine, given: ProductLine | undefined): ProductWriteResult {
  const status = answer.status_code;
  const outcome: ProductWriteOutcome =
    status === 201 ? 'created' : status >= 200 && status < 300 ? 'updated' : 'refused';
  const uuid = typeof answer.uuid === 'string' ? answer.uuid : uuidOf(given);
  return {
    line,
    ...(uuid === undefined ? {} : { uuid }),
    outcome,
    statusCode: status,
    ...(typeof answer.message === 'string' ? { message: answer.message } : {}),
    ...(Array.isArray(answer.errors) ? { errors: answer.errors.filter(isViolation) } : {}),
  };
}

function unknownResult(line: number, given: ProductLine): ProductWriteResult {
  const uuid = uuidOf(given);
  return { line, ...(uuid === undefined ? {} : { uuid }), outcome: 'unknown' };
}

function uuidOf(line: ProductLine | undefined): string | undefined {
  return typeof line?.uuid === 'string' ? line.uuid : undefined;
}

function isViolation(value: unknown): value is ProductViolation {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
