import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import cdkJson from '../../cdk.json';
import { AkeneoCustomApp, type AkeneoCustomAppProps, type LogLevel } from '../../lib/akeneo-custom-app';
import { resolveProps } from '../../lib/akeneo-custom-app-props';
import { AkeneoCustomAppStack, appPropsFromContext, CONTEXT_KEYS } from '../../lib/akeneo-custom-app-stack';

const build = (props: AkeneoCustomAppProps) => () => new AkeneoCustomApp(new Stack(new App()), 'App', props);
const fromContext = (context: Record<string, unknown>) => appPropsFromContext(new App({ context }));
const CERTIFICATE = 'arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

describe('AkeneoCustomApp props', () => {
  it.each<[string, AkeneoCustomAppProps, RegExp]>([
    ['no scope', { scopes: [] }, /scopes: give at least one Akeneo scope/],
    ['a malformed scope', { scopes: ['read_products', 'Read Products'] }, /"Read Products" is not an Akeneo scope/],
    ['a duplicate scope', { scopes: ['openid', 'openid'] }, /remove the duplicate openid/],
    [
      'the catalog source without the catalog scopes',
      { productSource: 'catalog', scopes: ['openid', 'read_products'] },
      /scopes: the catalog product source needs delete_catalogs, read_catalogs, write_catalogs as well/,
    ],
    ['an unknown product source', { productSource: 'catalogs' as 'catalog' }, /productSource: "catalogs" is not a/],
    ['a blank catalog name', { catalogName: ' ' }, /catalogName: " " must not be blank/],
    ['a prefix with a trailing slash', { secretNamePrefix: 'akeneo/' }, /secretNamePrefix: "akeneo\/" is not a usable/],
    ['a prefix with a colon', { secretNamePrefix: 'akeneo:pims' }, /without a leading or trailing '\/'/],
    ['a credentials max age over 300 s', { credentialsMaxAge: Duration.minutes(10) }, /from 0 to 300 \(got 600\)/],
    ['a fractional credentials max age', { credentialsMaxAge: Duration.millis(1500) }, /whole seconds/],
    ['an unknown log retention', { logRetention: 31 as RetentionDays }, /logRetention: 31 is not a CloudWatch/],
    ['an unknown log level', { logLevel: 'VERBOSE' as LogLevel }, /use one of TRACE, DEBUG, INFO/],
    ['a service name with spaces', { serviceName: 'my app' }, /serviceName: "my app" must be/],
    [
      'a URL as domain name',
      { customDomain: { domainName: 'https://app.example.com', certificateArn: CERTIFICATE } },
      /customDomain.domainName: .* \(no scheme, no path\)/,
    ],
    [
      'a malformed certificate ARN',
      { customDomain: { domainName: 'app.example.com', certificateArn: 'my-certificate' } },
      /customDomain.certificateArn: "my-certificate" is not an ACM certificate ARN/,
    ],
    ['a snapshot removal policy', { dataRemovalPolicy: RemovalPolicy.SNAPSHOT }, /use RemovalPolicy.RETAIN/],
    ['a sync schedule in seconds', { syncSchedule: Duration.seconds(90) }, /syncSchedule: use whole minutes/],
    ['a sync schedule under a minute', { syncSchedule: Duration.seconds(30) }, /from 1 to 1440.*\(got 30 seconds\)/],
    [
      'a sync schedule over a day',
      { syncSchedule: Duration.hours(25) },
      /syncSchedule: use whole minutes from 1 to 1440/,
    ],
    ['an export retention in hours', { exportRetention: Duration.hours(36) }, /exportRetention: use whole days/],
    ['an export retention under a day', { exportRetention: Duration.hours(12) }, /at least 1/],
  ])('refuses %s and says how to fix it', (_, props, message) => {
    expect(build(props)).toThrow(message);
  });

  it('accepts the bounds of the sync schedule and the shortest export retention', () => {
    for (const syncSchedule of [Duration.minutes(1), Duration.days(1)]) {
      expect(resolveProps({ syncSchedule, exportRetention: Duration.days(1) }).syncSchedule).toBe(syncSchedule);
    }
  });

  it('lists every problem in one error', () => {
    expect(build({ scopes: [], logLevel: 'LOUD' as LogLevel })).toThrow(/scopes: .*\n.*logLevel: /);
  });
});

describe('CDK context', () => {
  it('is documented in cdk.json, key by key, with the construct defaults as values', () => {
    const documented = Object.keys(cdkJson.context['akeneo:contextKeys']).sort();

    expect(documented).toEqual(Object.values(CONTEXT_KEYS).sort());
    expect(resolveProps(fromContext(cdkJson.context))).toEqual(resolveProps({}));
  });

  it('reads each documented key', () => {
    const props = fromContext({
      'akeneo:scopes': 'openid  read_products',
      'akeneo:secretNamePrefix': 'acme/pims',
      'akeneo:credentialsMaxAgeSeconds': 120,
      'akeneo:logRetentionDays': '90',
      'akeneo:logLevel': 'debug',
      'akeneo:serviceName': 'acme-pim-app',
      'akeneo:customDomainName': 'akeneo-app.example.com',
      'akeneo:certificateArn': CERTIFICATE,
      'akeneo:dataRemovalPolicy': 'destroy',
      'akeneo:syncScheduleMinutes': 60,
      'akeneo:exportRetentionDays': '30',
      'akeneo:productSource': 'Catalog',
      'akeneo:catalogName': 'Acme export',
    });

    expect(props).toEqual({
      scopes: ['openid', 'read_products'],
      secretNamePrefix: 'acme/pims',
      credentialsMaxAge: Duration.seconds(120),
      logRetention: 90,
      logLevel: 'DEBUG',
      serviceName: 'acme-pim-app',
      customDomain: { domainName: 'akeneo-app.example.com', certificateArn: CERTIFICATE },
      dataRemovalPolicy: RemovalPolicy.DESTROY,
      syncSchedule: Duration.minutes(60),
      exportRetention: Duration.days(30),
      productSource: 'catalog',
      catalogName: 'Acme export',
    });
  });

  it('treats empty values as "use the default"', () => {
    expect(fromContext({ 'akeneo:scopes': '', 'akeneo:customDomainName': '', 'akeneo:certificateArn': '' })).toEqual(
      {},
    );
  });

  it('names each malformed key', () => {
    const read = () =>
      fromContext({
        'akeneo:logRetentionDays': 'a month',
        'akeneo:customDomainName': 'akeneo-app.example.com',
        'akeneo:dataRemovalPolicy': 'keep',
        'akeneo:syncScheduleMinutes': '15m',
        'akeneo:exportRetentionDays': 'ninety',
        'akeneo:productSource': 'catalogs',
      });

    expect(read).toThrow(/akeneo:logRetentionDays: give a whole number/);
    expect(read).toThrow(/akeneo:customDomainName and akeneo:certificateArn: set both/);
    expect(read).toThrow(/akeneo:dataRemovalPolicy: use "retain" or "destroy"/);
    expect(read).toThrow(/akeneo:syncScheduleMinutes: give a whole number \(got "15m"\)/);
    expect(read).toThrow(/akeneo:exportRetentionDays: give a whole number/);
    expect(read).toThrow(/akeneo:productSource: use "products" or "catalog" \(got "catalogs"\)/);
  });

  it('lets props given to the stack win over the context', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], 'akeneo:secretNamePrefix': 'from/context' } });
    const stack = new AkeneoCustomAppStack(app, 'Test', { app: { secretNamePrefix: 'from/props' } });

    expect(stack.app.secretNamePrefix).toBe('from/props');
  });
});
