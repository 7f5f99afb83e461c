import type { ProductSource } from '../../functions/core/product-source';
import { defaultAppScopes } from '../../functions/core/scopes';

/**
 * A function's template environment for a product source, as `cdk synth -c akeneo:productSource=catalog` writes it:
 * the same bundles, told the source and given that source's scopes (`test/infra/bench-source-environment.test.ts`).
 */
export function sourceEnvironment(
  environment: Record<string, unknown>,
  source: ProductSource,
): Record<string, unknown> {
  return {
    ...environment,
    ...('PRODUCT_SOURCE' in environment ? { PRODUCT_SOURCE: source } : {}),
    ...('APP_SCOPES' in environment ? { APP_SCOPES: defaultAppScopes(source).join(' ') } : {}),
  };
}
