// The module object itself (not an import's copy of it), so that spying on it sees what functions/core calls.
import crypto = require('node:crypto');

import { connectedByFrom, tokenVersionOf } from '../../../functions/core/connection';
import { compareScopes, parseScopeString } from '../../../functions/core/scopes';
import {
  looksLikeState,
  newAuthorization,
  STATE_TTL_SECONDS,
  sameDigest,
  sha256Hex,
} from '../../../functions/core/state';

describe('scopes', () => {
  it('sorts and de-duplicates a scope string, as the PIM does', () => {
    expect(parseScopeString('write_catalog_structure  delete_products read_association_types delete_products')).toEqual(
      ['delete_products', 'read_association_types', 'write_catalog_structure'],
    );
  });

  it('lists the requested scopes the token does not carry', () => {
    expect(compareScopes(['read_products', 'read_assets', 'openid'], ['openid', 'read_products'])).toEqual({
      granted: ['openid', 'read_products'],
      missing: ['read_assets'],
    });
  });
});

describe('newAuthorization', () => {
  const counter = () => {
    let next = 0;
    return (size: number) => new Uint8Array(size).fill(next++);
  };

  it('draws a 256-bit state and browser binding and stores only their hashes', () => {
    const { state, browserBinding, record } = newAuthorization({
      pimUrl: 'https://pim.example.com',
      pimHost: 'pim.example.com',
      requestedScopes: ['openid'],
      now: 1_000,
      randomBytes: counter(),
    });
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    expect(looksLikeState(state)).toBe(true);
    expect(browserBinding).not.toBe(state);
    expect(record).toEqual({
      stateHash: sha256Hex(state),
      pimUrl: 'https://pim.example.com',
      pimHost: 'pim.example.com',
      requestedScopes: ['openid'],
      browserBindingHash: sha256Hex(browserBinding),
      createdAt: 1_000,
      expiresAt: 1_000 + STATE_TTL_SECONDS,
    });
    expect(JSON.stringify(record)).not.toContain(state);
    expect(JSON.stringify(record)).not.toContain(browserBinding);
  });

  it("compares digests with Node's constant-time comparison, and only equal ones match", () => {
    const timingSafe = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      expect(sameDigest(sha256Hex('a'), sha256Hex('a'))).toBe(true);
      expect(sameDigest(sha256Hex('a'), sha256Hex('b'))).toBe(false);
      expect(timingSafe).toHaveBeenCalledTimes(2);
      expect(sameDigest(sha256Hex('a'), 'short')).toBe(false);
    } finally {
      timingSafe.mockRestore();
    }
  });
});

describe('connection', () => {
  it('gives a token version that changes exactly when the token changes', () => {
    expect(tokenVersionOf('token-a')).toBe(tokenVersionOf('token-a'));
    expect(tokenVersionOf('token-a')).not.toBe(tokenVersionOf('token-b'));
    expect(tokenVersionOf('token-a')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names who connected from the claims they consented to', () => {
    expect(connectedByFrom({ sub: 's', firstname: 'Julia', lastname: 'Stark', email: 'j@example.com' })).toEqual({
      sub: 's',
      name: 'Julia Stark',
      email: 'j@example.com',
    });
    expect(connectedByFrom({ sub: 's' })).toEqual({ sub: 's' });
  });

  it('keeps no control character of the names and email the PIM sent, so none reaches a terminal', () => {
    const claims = {
      sub: 's',
      firstname: 'Julia\u001b[2J',
      lastname: '\u009b31mStark\n',
      email: 'j@example.com\u0007',
    };

    expect(connectedByFrom(claims)).toEqual({ sub: 's', name: 'Julia[2J 31mStark', email: 'j@example.com' });
  });
});
