import { NdjsonLineReader } from '../../../functions/akeneo/ndjson-lines';

describe('NdjsonLineReader', () => {
  it('gives each line once it is whole, however the chunks cut it, and the last one without a newline at the end', () => {
    const reader = new NdjsonLineReader();
    const text = '{"line":1,"status_code":201}\n{"line":2,"status_code":204}\n{"line":3,"status_code":422}';
    const bytes = Buffer.from(text);
    const lines: string[] = [];

    for (let start = 0; start < bytes.length; start += 7) lines.push(...reader.push(bytes.subarray(start, start + 7)));
    const beforeEnd = [...lines];
    lines.push(...reader.end());

    expect(beforeEnd).toEqual(['{"line":1,"status_code":201}', '{"line":2,"status_code":204}']);
    expect(lines).toEqual(text.split('\n'));
  });

  it('keeps a multi-byte character whole when a chunk ends inside it', () => {
    const reader = new NdjsonLineReader();
    const bytes = Buffer.from('{"message":"Éphémère"}\n{"message":"ü"}');
    const lines: string[] = [];

    for (let index = 0; index < bytes.length; index += 1) lines.push(...reader.push(bytes.subarray(index, index + 1)));
    lines.push(...reader.end());

    expect(lines).toEqual(['{"message":"Éphémère"}', '{"message":"ü"}']);
  });

  it('gives no line for an empty remainder', () => {
    const reader = new NdjsonLineReader();

    expect(reader.push(Buffer.from('{"a":1}\n'))).toEqual(['{"a":1}']);
    expect(reader.end()).toEqual([]);
  });
});
