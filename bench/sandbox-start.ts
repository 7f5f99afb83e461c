import { startSandboxPim } from '../sandbox';
import { ProductCatalog } from '../sandbox/product-catalog';
import { median, round } from './support/stats';

export interface SandboxStartResult {
  readonly products: number;
  readonly repeats: number;
  /** Building the generated catalog alone. */
  readonly catalogMedianMs: number;
  /** startSandboxPim until it listens, catalog included. */
  readonly startMedianMs: number;
}

/**
 * How long the sandbox PIM takes to be ready with a large catalog (`SANDBOX_PRODUCTS`, the sync benches): its
 * products are generated lazily, so both figures should stay small whatever the size. These were wall-time bounds
 * in test/sandbox/catalog-sync.test.ts (< 50 ms and < 3 s), which a shared machine made flaky.
 */
export async function measureSandboxStart(options: {
  readonly products: number;
  readonly repeats: number;
}): Promise<SandboxStartResult> {
  const catalogMs: number[] = [];
  const startMs: number[] = [];
  for (let run = 0; run < options.repeats; run += 1) {
    let started = performance.now();
    const catalog = new ProductCatalog(options.products, Date.now() / 1000);
    catalogMs.push(performance.now() - started);
    if (catalog.size !== options.products) throw new Error(`The catalog has ${catalog.size} products`);
    started = performance.now();
    const pim = await startSandboxPim({ productCount: options.products });
    startMs.push(performance.now() - started);
    await pim.close();
  }
  return {
    products: options.products,
    repeats: options.repeats,
    catalogMedianMs: round(median(catalogMs), 1),
    startMedianMs: round(median(startMs), 1),
  };
}
