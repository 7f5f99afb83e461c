import { awsUserAgent, type FunctionName } from '../contract/names';

/** An AWS SDK v3 client class: its config takes the user agent the factory sets. */
// biome-ignore lint/suspicious/noExplicitAny: any client class; the config is typed by `ClientConfig` below.
type ClientClass = new (...config: any[]) => unknown;
type ClientConfig<C extends ClientClass> = Omit<NonNullable<ConstructorParameters<C>[0]>, 'customUserAgent'>;

/**
 * The one way the functions create AWS SDK clients: each client names its function in its user agent
 * (`akeneo-custom-app/<function>`, see `awsUserAgent`), which CloudTrail records and the IAM audit reads. The factory
 * takes the client class, so a function loads only the SDK packages it uses.
 */
export interface AwsClients {
  readonly fn: FunctionName;
  create<C extends ClientClass>(Client: C, config?: ClientConfig<C>): InstanceType<C>;
}

export function awsClients(fn: FunctionName): AwsClients {
  return {
    fn,
    create: (Client, config) =>
      new Client({ ...config, customUserAgent: awsUserAgent(fn) }) as InstanceType<typeof Client>,
  };
}
