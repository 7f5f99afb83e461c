import { JsonContainerCounter } from '../../../functions/core/json-containers';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('JsonContainerCounter', () => {
  it('counts the objects and arrays JSON.parse would build, not the braces inside strings', () => {
    const text = JSON.stringify({ a: [{}, [], { b: '{[not these]}' }], c: 'say "{" \\ [', d: 'é{€}' });
    const counter = new JsonContainerCounter();

    expect(counter.add(bytes(text))).toBe(5);
  });

  it('counts the same however the text is cut into chunks, even inside an escape or a character', () => {
    const text = JSON.stringify([{ quote: 'a \\" { b', euro: '€[' }, [[]], '}\\\\', {}]);
    const whole = new JsonContainerCounter().add(bytes(text));
    const encoded = bytes(text);

    for (let cut = 1; cut < encoded.length; cut += 1) {
      const counter = new JsonContainerCounter();
      counter.add(encoded.subarray(0, cut));
      counter.add(encoded.subarray(cut));
      expect(counter.count).toBe(whole);
    }
    expect(whole).toBe(5);
  });
});
