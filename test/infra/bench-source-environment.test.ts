import type { IConstruct } from 'constructs';
import { sourceEnvironment } from '../../bench/support/source-environment';
import { type BuiltStack, buildStack, logicalIdOf } from './helpers/build-stack';

/**
 * The bench measures the catalog source with the bundles of the default synth and the environment it derives for the
 * catalog (`npm run bench -- --only catalog`): that environment must be the one the stack gives with
 * `akeneo:productSource` = catalog, or the bench measures a deployment nobody makes.
 */
const products = buildStack({ bundle: false });
const catalog = buildStack({ bundle: false, context: { 'akeneo:productSource': 'catalog' } });

function environmentOf(built: BuiltStack, fn: IConstruct): Record<string, unknown> {
  const resources = built.template.findResources('AWS::Lambda::Function');
  const resource = resources[logicalIdOf(built.stack, fn as never)];
  if (!resource) throw new Error('No such function');
  return resource.Properties.Environment.Variables;
}

describe("the bench's environment for a product source", () => {
  it.each([
    ['the callback', (built: BuiltStack) => built.stack.app.callbackFunction],
    ['the sync worker', (built: BuiltStack) => built.stack.app.syncWorkerFunction],
  ])('is what the catalog stack gives %s, from the default stack', (_name, functionOf) => {
    // Arrange
    const deployedDefault = environmentOf(products, functionOf(products));
    const deployedCatalog = environmentOf(catalog, functionOf(catalog));

    // Act
    const derived = sourceEnvironment(deployedDefault, 'catalog');

    // Assert
    expect(deployedCatalog.PRODUCT_SOURCE).toBe('catalog');
    expect(derived).toEqual(deployedCatalog);
  });

  it('leaves the default stack as it is for the products source', () => {
    // Arrange
    const deployed = environmentOf(products, products.stack.app.syncWorkerFunction);

    // Act
    const derived = sourceEnvironment(deployed, 'products');

    // Assert
    expect(derived).toEqual(deployed);
  });
});
