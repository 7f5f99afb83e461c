import { createHash } from 'node:crypto';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** The parts of a synthesized template the audit reads. */
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

export interface StandInNamesOptions {
  /** Appended to table names, so that suites sharing one DynamoDB Local never meet. */
  readonly tableSuffix: string;
  /** Where queue URLs point (the SQS stand-in): `http://127.0.0.1:PORT`. */
  readonly sqsEndpoint: string;
  /** @default 'Test' */
  readonly stackName?: string;
}

type Attributes = Readonly<Record<string, string>>;

/**
 * What each resource of the template is called on the local stand-ins, and so what its `Ref` and `Fn::GetAtt` give:
 * the names a deploy would create, with one account and region. The function's environment and every policy are
 * resolved with the same names, so a table name in an environment and the ARN in a grant agree as on AWS. A
 * reference it cannot resolve throws: nothing is guessed.
 */
export class StandInNames {
  readonly #template: CfnTemplate;
  readonly #options: StandInNamesOptions;

  constructor(template: CfnTemplate, options: StandInNamesOptions) {
    this.#template = template;
    this.#options = options;
  }

  /** `Ref` (attribute `Ref`) or `Fn::GetAtt` of a resource, or a pseudo parameter such as `AWS::Region`. */
  attribute(logicalId: string, attribute = 'Ref'): string {
    if (attribute === 'Ref' && logicalId.startsWith('AWS::')) return this.#pseudoParameter(logicalId);
    const resource = this.#template.Resources[logicalId];
    if (!resource) throw new Error(`The template has no resource ${logicalId}`);
    const value = this.#attributesOf(logicalId, resource)[attribute];
    if (value === undefined) throw new Error(`No stand-in value for ${logicalId}.${attribute} (${resource.Type})`);
    return value;
  }

  /** A CloudFormation value with every intrinsic function resolved, deeply (policy documents, environments). */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return this.#intrinsic(entries[0][0], entries[0][1]);
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.resolve(item)]));
  }

  /** `resolve` for a value that must come out as a string (an environment variable, an ARN). */
  resolveString(value: unknown): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string') throw new Error(`Expected a string, got ${JSON.stringify(resolved)}`);
    return resolved;
  }

  #intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        return this.attribute(String(argument));
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(argument) ? argument : String(argument).split(/\.(.*)/s);
        return this.attribute(String(id), String(attribute));
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).map((part) => this.#asString(part)).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown];
        const items = this.resolve(list) as unknown[];
        return items[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, text] = argument as [string, unknown];
        return this.resolveString(text).split(separator);
      }
      case 'Fn::Sub': {
        const [text, variables = {}] = Array.isArray(argument) ? argument : [argument];
        const local = this.resolve(variables) as Record<string, unknown>;
        return String(text).replace(/\$\{([^}!]+)\}/g, (_match, reference: string) => {
          if (reference in local) return this.#asString(local[reference]);
          const [id, attribute] = reference.split(/\.(.*)/s);
          return this.attribute(id, attribute || 'Ref');
        });
      }
      default:
        throw new Error(`The audit cannot resolve ${name}: add it to StandInNames`);
    }
  }

  #asString(value: unknown): string {
    if (typeof value !== 'string') throw new Error(`Expected a string, got ${JSON.stringify(value)}`);
    return value;
  }

  #pseudoParameter(name: string): string {
    const stackName = this.#options.stackName ?? 'Test';
    const values: Record<string, string> = {
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stackName,
      'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/${uuidOf(stackName)}`,
    };
    const value = values[name];
    if (value === undefined) throw new Error(`No stand-in value for the pseudo parameter ${name}`);
    return value;
  }

  #attributesOf(logicalId: string, resource: CfnResource): Attributes {
    const given = (property: string) => {
      const value = resource.Properties?.[property];
      return value === undefined ? undefined : this.resolveString(value);
    };
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table': {
        const name = given('TableName') ?? `${logicalId}-${this.#options.tableSuffix}`;
        return { Ref: name, Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}` };
      }
      case 'AWS::SQS::Queue': {
        const name = given('QueueName') ?? (resource.Properties?.FifoQueue ? `${logicalId}.fifo` : logicalId);
        const url = `${this.#options.sqsEndpoint}/${ACCOUNT}/${name}`;
        return { Ref: url, QueueUrl: url, QueueName: name, Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}` };
      }
      case 'AWS::S3::Bucket': {
        const name = given('BucketName') ?? logicalId.toLowerCase().slice(0, 63);
        return { Ref: name, Arn: `arn:aws:s3:::${name}` };
      }
      case 'AWS::KMS::Key': {
        const id = uuidOf(logicalId);
        return { Ref: id, KeyId: id, Arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}` };
      }
      case 'AWS::IAM::Role': {
        const name = given('RoleName') ?? logicalId;
        return { Ref: name, Arn: `arn:aws:iam::${ACCOUNT}:role/${name}` };
      }
      case 'AWS::IAM::ManagedPolicy':
        return { Ref: `arn:aws:iam::${ACCOUNT}:policy/${given('ManagedPolicyName') ?? logicalId}` };
      case 'AWS::Logs::LogGroup': {
        const name = given('LogGroupName') ?? `/aws/lambda/${logicalId}`;
        return { Ref: name, Arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*` };
      }
      case 'AWS::Events::EventBus': {
        const name = given('Name') ?? logicalId;
        return { Ref: name, Name: name, Arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}` };
      }
      case 'AWS::Lambda::Function': {
        const name = given('FunctionName') ?? logicalId;
        return { Ref: name, Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}` };
      }
      case 'AWS::ApiGatewayV2::Api': {
        const id = createHash('sha256').update(logicalId).digest('hex').slice(0, 10);
        return { Ref: id, ApiEndpoint: `https://${id}.execute-api.${REGION}.amazonaws.com` };
      }
      default:
        return {};
    }
  }
}

/** A stable UUID-shaped id from a name. */
function uuidOf(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
