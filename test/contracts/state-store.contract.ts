import { randomBytes } from 'node:crypto';
import type { StateStore } from '../../functions/adapters/state-store';
import { newAuthorization } from '../../functions/core/state';

const NOW = 1_800_000_000;

function issue(now = NOW) {
  return newAuthorization({
    pimUrl: 'https://pim.example.com',
    pimHost: 'pim.example.com',
    requestedScopes: ['openid', 'read_products'],
    now,
    randomBytes,
  });
}

/** What every StateStore backend must do; each backend's test file runs it on its own database. */
export function stateStoreContract(makeStore: () => Promise<StateStore>): void {
  let store: StateStore;

  beforeAll(async () => {
    store = await makeStore();
  });

  it('returns a saved state once', async () => {
    const { record } = issue();
    await store.save(record);

    await expect(store.consume(record.stateHash, record.browserBindingHash, NOW + 1)).resolves.toEqual(record);
  });

  it('refuses a second consume as already used, naming the PIM', async () => {
    const { record } = issue();
    await store.save(record);
    await store.consume(record.stateHash, record.browserBindingHash, NOW + 1);

    await expect(store.consume(record.stateHash, record.browserBindingHash, NOW + 2)).rejects.toMatchObject({
      code: 'state_already_used',
      pimHost: 'pim.example.com',
    });
  });

  it('lets exactly one of two concurrent consumes win', async () => {
    const { record } = issue();
    await store.save(record);

    const results = await Promise.allSettled([
      store.consume(record.stateHash, record.browserBindingHash, NOW + 1),
      store.consume(record.stateHash, record.browserBindingHash, NOW + 1),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('treats an expired state as expired, even before the TTL deletes it', async () => {
    const { record } = issue();
    await store.save(record);

    await expect(store.consume(record.stateHash, record.browserBindingHash, record.expiresAt)).rejects.toMatchObject({
      code: 'expired_state',
    });
  });

  it('refuses another browser without using the state up', async () => {
    const { record } = issue();
    await store.save(record);

    await expect(store.consume(record.stateHash, 'f'.repeat(64), NOW + 1)).rejects.toMatchObject({
      code: 'browser_mismatch',
    });
    await expect(store.consume(record.stateHash, record.browserBindingHash, NOW + 1)).resolves.toEqual(record);
  });

  it('refuses an unknown state', async () => {
    await expect(store.consume('0'.repeat(64), '1'.repeat(64), NOW)).rejects.toMatchObject({ code: 'unknown_state' });
  });

  it('never saves the same state twice', async () => {
    const { record } = issue();
    await store.save(record);
    await expect(store.save(record)).rejects.toThrow();
  });
}
