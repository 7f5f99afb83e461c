import type { IConstruct } from 'constructs';
import { buildStack, logicalIdOf } from './helpers/build-stack';
import { grantsOfRole } from './helpers/role-grants';

/** The stack with `akeneo:productSource` = catalog: what changes for the callback and the worker. */
const { stack, template } = buildStack({
  bundle: false,
  context: { 'akeneo:productSource': 'catalog', 'akeneo:catalogName': 'Acme export' },
});
const app = stack.app;

const labels = new Map<string, string>(
  (
    [
      ['StatesTable', app.statesTable],
      ['ConnectionsTable', app.connectionsTable],
      ['CallSlotsTable', app.callSlotsTable],
      ['TokenKey', app.tokenKey],
      ['CallbackLogs', app.callbackFunction.logGroup],
    ] as [string, IConstruct][]
  ).map(([label, construct]) => [logicalIdOf(stack, construct), label]),
);

function propertiesOf(fn: IConstruct) {
  const resources = template.findResources('AWS::Lambda::Function');
  const resource = resources[logicalIdOf(stack, fn as never)];
  if (!resource) throw new Error('No such function');
  return resource.Properties;
}

describe('the catalog product source in the stack', () => {
  it('asks for the catalog scopes and tells the callback and the worker the source and the catalog name', () => {
    const callback = propertiesOf(app.callbackFunction).Environment.Variables;
    const worker = propertiesOf(app.syncWorkerFunction).Environment.Variables;

    expect(callback.APP_SCOPES.split(' ')).toEqual(
      expect.arrayContaining(['read_products', 'read_catalogs', 'write_catalogs', 'delete_catalogs']),
    );
    for (const env of [callback, worker]) {
      expect(env).toMatchObject({ PRODUCT_SOURCE: 'catalog', CATALOG_NAME: 'Acme export' });
    }
  });

  it('gives the callback the call slots it takes for its catalog calls, item-level, and the time for them', () => {
    const role = logicalIdOf(stack, app.callbackFunction.role as IConstruct);

    expect(grantsOfRole(template, role, labels)).toEqual(
      expect.arrayContaining([
        'dynamodb:PutItem <CallSlotsTable.Arn>',
        'dynamodb:DeleteItem <CallSlotsTable.Arn>',
        'dynamodb:Query <CallSlotsTable.Arn>',
      ]),
    );
    // 15 s for the code exchange, and the catalog step's 10 s after it.
    expect(propertiesOf(app.callbackFunction).Timeout).toBe(25);
  });
});
