import { codeChallenge, codeIdentifierFrom } from '../../../functions/core/code-challenge';

describe('codeChallenge', () => {
  it('matches the protocol vector V1: identifier "abc", secret "secret"', () => {
    expect(codeChallenge('abc', 'secret')).toBe('a42178b773273f5c9f24387fbea546af537d08b8c06b23631e44878b9ce47f49');
  });

  it('matches the protocol vector V2 (a 60-hex identifier and an 86-character secret)', () => {
    const identifier = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d';
    const secret = 'NjE0ZmRjYjNlZGQ4YzNlMmY3MjdiNzU0MTA4NjYzZTE0YTQ5NjA3NDU0ZGI1MjlkMDQwZGExZjYxMjg4MzM0NA';
    expect(codeChallenge(identifier, secret)).toBe('f8a1db3c2c744c75a105cf233b1a6e2f9d70793cf766982a259eae675b72cc31');
  });

  it('puts the identifier first (V3): the other order gives another challenge', () => {
    expect(codeChallenge('f'.repeat(128), 'MzA1NmE0ZmQ5YjQ4')).toBe(
      '9156edccca2f95c777db7f6d8f9b8eb38ceafbb829dc6666f378d3b738106b50',
    );
  });
});

describe('codeIdentifierFrom', () => {
  it('is 60 hex characters from 30 random bytes', () => {
    expect(codeIdentifierFrom(new Uint8Array(30).fill(171))).toBe('ab'.repeat(30));
  });

  it('refuses fewer than 30 random bytes', () => {
    expect(() => codeIdentifierFrom(new Uint8Array(16))).toThrow(RangeError);
  });
});
