import {
  MAX_LINES_PER_PATCH,
  type ProductLine,
  type SendCollection,
  writeProducts,
} from '../../../functions/akeneo/product-writes';

const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const lines = (count: number): ProductLine[] =>
  Array.from({ length: count }, (_, index) => ({ uuid: uuidOf(index + 1) }));

/** What a PIM answers for one line of a chunk: created for even uuids, updated for odd ones. */
function answerFor(line: number, body: string): string {
  const { uuid } = JSON.parse(body.split('\n')[line - 1] ?? '{}') as { uuid: string };
  const created = Number(uuid.slice(-12)) % 2 === 0;
  return JSON.stringify({ line, uuid, status_code: created ? 201 : 204 });
}

/** Answers every line of every chunk, and records the chunks it was sent. */
function answeringAll(sent: string[][] = []): SendCollection {
  return async (body, onLine) => {
    const chunk = body.split('\n');
    sent.push(chunk);
    for (let line = 1; line <= chunk.length; line += 1) onLine(answerFor(line, body));
  };
}

describe('writeProducts', () => {
  it('sends at most 100 lines per call, as NDJSON, and gives one result per line in the order given', async () => {
    const sent: string[][] = [];

    const results = await writeProducts(lines(250), answeringAll(sent), { lanes: 4 });

    expect(sent.map((chunk) => chunk.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(MAX_LINES_PER_PATCH).toBe(100);
    expect(
      sent
        .flat()
        .map((line) => (JSON.parse(line) as { uuid: string }).uuid)
        .sort(),
    ).toEqual(lines(250).map((line) => line.uuid));
    expect(results).toHaveLength(250);
    expect(results.slice(0, 2)).toEqual([
      { line: 1, uuid: uuidOf(1), outcome: 'updated', statusCode: 204 },
      { line: 2, uuid: uuidOf(2), outcome: 'created', statusCode: 201 },
    ]);
    expect(results.map((result) => result.line)).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
    expect(results[249]).toEqual({ line: 250, uuid: uuidOf(250), outcome: 'created', statusCode: 201 });
  });

  it('gives a refused line its status, message and violations, as the PIM words them', async () => {
    const violation = {
      property: 'values',
      message: 'Attribute "name" expects a locale, none given.',
      attribute: 'name',
      locale: null,
      scope: null,
    };
    const send: SendCollection = async (_body, onLine) => {
      onLine(
        JSON.stringify({
          line: 1,
          uuid: uuidOf(1),
          status_code: 422,
          message: 'Validation failed.',
          errors: [violation],
        }),
      );
      onLine(JSON.stringify({ line: 2, status_code: 422, message: 'Uuid is missing.' }));
      onLine(JSON.stringify({ line: 3, uuid: uuidOf(3), status_code: 413, message: 'Line is too long.' }));
    };

    const results = await writeProducts([{ uuid: uuidOf(1) }, { family: 'x' }, { uuid: uuidOf(3) }], send, {
      lanes: 4,
    });

    expect(results).toEqual([
      {
        line: 1,
        uuid: uuidOf(1),
        outcome: 'refused',
        statusCode: 422,
        message: 'Validation failed.',
        errors: [violation],
      },
      { line: 2, outcome: 'refused', statusCode: 422, message: 'Uuid is missing.' },
      { line: 3, uuid: uuidOf(3), outcome: 'refused', statusCode: 413, message: 'Line is too long.' },
    ]);
  });

  it('reports the lines whose result never came as unknown, with their uuid, so that they can be sent again', async () => {
    const send: SendCollection = async (body, onLine) => {
      onLine(answerFor(1, body));
      onLine('{"line":2,"uuid":');
      onLine(answerFor(4, body));
    };

    const results = await writeProducts(lines(5), send, { lanes: 4 });

    expect(results.map(({ line, outcome }) => [line, outcome])).toEqual([
      [1, 'updated'],
      [2, 'unknown'],
      [3, 'unknown'],
      [4, 'created'],
      [5, 'unknown'],
    ]);
    expect(results[2]).toEqual({ line: 3, uuid: uuidOf(3), outcome: 'unknown' });
  });

  it('ignores an answer line for a line it did not send, or one already answered', async () => {
    const send: SendCollection = async (body, onLine) => {
      onLine(JSON.stringify({ line: 0, status_code: 201 }));
      onLine(JSON.stringify({ line: 3, status_code: 201 }));
      onLine(JSON.stringify({ line: 1.5, status_code: 201 }));
      onLine(JSON.stringify({ line: 1, status_code: '201' }));
      onLine(answerFor(1, body));
      onLine(JSON.stringify({ line: 1, uuid: uuidOf(1), status_code: 422, message: 'again' }));
    };

    const results = await writeProducts(lines(2), send, { lanes: 4 });

    expect(results).toEqual([
      { line: 1, uuid: uuidOf(1), outcome: 'updated', statusCode: 204 },
      { line: 2, uuid: uuidOf(2), outcome: 'unknown' },
    ]);
  });

  it('runs at most `lanes` calls at once', async () => {
    let inFlight = 0;
    let most = 0;
    const send: SendCollection = async (body, onLine) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      await answeringAll()(body, onLine);
      inFlight -= 1;
    };

    const results = await writeProducts(lines(1_000), send, { lanes: 4 });

    expect(results.every((result) => result.outcome !== 'unknown')).toBe(true);
    expect(most).toBe(4);
  });

  it('starts no further call once one is refused as a whole, and ends with its error', async () => {
    const sent: string[][] = [];
    const refusal = new Error('refused as a whole');
    const send: SendCollection = async (body, onLine) => {
      sent.push(body.split('\n'));
      if (sent.length === 2) throw refusal;
      await new Promise((resolve) => setImmediate(resolve));
      await answeringAll()(body, onLine);
    };

    await expect(writeProducts(lines(1_000), send, { lanes: 2 })).rejects.toBe(refusal);
    // The first call, under way when the second failed, ended; none of the other eight began.
    expect(sent).toHaveLength(2);
  });

  it.each([
    ['an array', [[{ uuid: uuidOf(1) }]]],
    ['null', [null]],
    ['a string', ['{"uuid":"x"}']],
    ['a value JSON cannot hold', [{ uuid: uuidOf(1), price: 10n }]],
    [
      'a cycle',
      [
        (() => {
          const line: Record<string, unknown> = { uuid: uuidOf(1) };
          line.self = line;
          return line;
        })(),
      ],
    ],
  ])('refuses a line that is %s before sending anything', async (_case, bad) => {
    const sent: string[][] = [];

    const writing = writeProducts([{ uuid: uuidOf(9) }, ...(bad as ProductLine[])], answeringAll(sent), { lanes: 4 });

    await expect(writing).rejects.toMatchObject({
      code: 'invalid_pim_request',
      message: expect.stringMatching(/line 2/i),
    });
    expect(sent).toEqual([]);
  });

  it('sends nothing for no lines', async () => {
    const sent: string[][] = [];

    expect(await writeProducts([], answeringAll(sent), { lanes: 4 })).toEqual([]);
    expect(sent).toEqual([]);
  });
});
