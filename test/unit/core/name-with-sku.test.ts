import { nameWithSku, nameWithSkuLine } from '../../../functions/core/name-with-sku';

const product = (name: unknown, sku: unknown = 'TSHI-00042') => ({
  uuid: '5f0e3a4c-1b2d-4c5e-8f9a-0b1c2d3e4f5a',
  values: {
    sku: [{ locale: null, scope: null, data: sku }],
    name: [
      { locale: 'fr_FR', scope: null, data: 'T-shirt noir' },
      { locale: 'en_US', scope: null, data: name },
    ],
  },
});

describe("the example worker's rule: the English name ends with the SKU", () => {
  it('appends the SKU in brackets, once', () => {
    expect(nameWithSku('Black cotton t-shirt', 'TSHI-00042')).toBe('Black cotton t-shirt (TSHI-00042)');
    expect(nameWithSku('Black cotton t-shirt (TSHI-00042)', 'TSHI-00042')).toBe('Black cotton t-shirt (TSHI-00042)');
  });

  it('writes only the English name, for a product whose name lacks its SKU', () => {
    expect(nameWithSkuLine(product('Black cotton t-shirt'))).toEqual({
      uuid: '5f0e3a4c-1b2d-4c5e-8f9a-0b1c2d3e4f5a',
      values: { name: [{ locale: 'en_US', scope: null, data: 'Black cotton t-shirt (TSHI-00042)' }] },
    });
  });

  it('is idempotent: the product as written gives no line, so a second run writes nothing', () => {
    const line = nameWithSkuLine(product('Black cotton t-shirt'));
    expect(nameWithSkuLine(product(line?.values.name[0].data))).toBeUndefined();
  });

  it.each([
    ['no English name', product(undefined)],
    ['an empty English name', product('')],
    ['no SKU', product('Black cotton t-shirt', null)],
    ['no uuid', { values: product('Black cotton t-shirt').values }],
    ['no values', { uuid: 'u' }],
    ['something else than a product', 'a string'],
  ])('gives no line for a product with %s', (_case, input) => {
    expect(nameWithSkuLine(input)).toBeUndefined();
  });
});
