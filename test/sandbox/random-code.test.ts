import { pimCodeFromBytes, randomPimCode } from '../../sandbox/random-code';

describe('sandbox PIM random codes', () => {
  it('matches the protocol vector for "hello"', () => {
    expect(pimCodeFromBytes('hello')).toBe(
      'MmNmMjRkYmE1ZmIwYTMwZTI2ZTgzYjJhYzViOWUyOWUxYjE2MWU1YzFmYTc0MjVlNzMwNDMzNjI5MzhiOTgyNA',
    );
  });

  it('draws distinct 86-character alphanumeric codes', () => {
    const codes = Array.from({ length: 100 }, randomPimCode);
    expect(codes.every((code) => /^[0-9A-Za-z]{86}$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBe(100);
  });
});
