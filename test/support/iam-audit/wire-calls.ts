import { ACCOUNT, REGION } from './stand-in-names';

/** The services whose requests the audit reads on the wire. */
export type AwsService = 'dynamodb' | 'secretsmanager' | 'kms' | 'sqs' | 's3' | 'events';

/** What IAM authorizes for one request: an action on a resource, with the request's own condition keys. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  /**
   * Condition keys the request carries (`kms:EncryptionContextKeys`, `events:source`…); the principal's are added by
   * the evaluator.
   */
  readonly context: ConditionContext;
}

export type ConditionContext = Readonly<Record<string, string | readonly string[]>>;

/** One request as it left a function, the way CloudTrail would record it. */
export interface RecordedCall {
  /** The function that sent it, from its user agent; undefined when the user agent names none. */
  readonly caller: string | undefined;
  readonly service: AwsService;
  readonly operation: string;
  /**
   * What IAM checks for it: one entry, or one per table and item for DynamoDB's batch and transaction calls, one per
   * entry for EventBridge's PutEvents.
   */
  readonly requests: readonly AuthorizationRequest[];
  /** Set when the request could not be read as any operation the audit knows: the audit then fails. */
  readonly problem?: string;
}

export interface WireRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * Every AWS client a function creates carries `customUserAgent: akeneo-custom-app/<function>`
 * (functions/wiring); the SDK appends it to both user agent headers.
 */
const CALLER = /(?:^|\s)akeneo-custom-app\/([A-Za-z0-9-]+)(?:\s|$)/;

export function callerOf(headers: WireRequest['headers']): string | undefined {
  for (const name of ['x-amz-user-agent', 'user-agent']) {
    const match = CALLER.exec(String(headers[name] ?? ''));
    if (match) return match[1];
  }
  return undefined;
}

/** Reads one wire request of `service` into the operation it is and what IAM authorizes for it. */
export function recordedCall(service: AwsService, request: WireRequest): RecordedCall {
  const caller = callerOf(request.headers);
  try {
    const { operation, requests } = service === 's3' ? s3Call(request) : jsonProtocolCall(service, request);
    return { caller, service, operation, requests };
  } catch (error) {
    const problem = `${service} ${request.method} ${request.url.split('?')[0]}: ${(error as Error).message}`;
    return { caller, service, operation: 'unknown', requests: [], problem };
  }
}

type Parsed = { operation: string; requests: AuthorizationRequest[] };
type Input = Record<string, unknown>;

function jsonProtocolCall(service: Exclude<AwsService, 's3'>, request: WireRequest): Parsed {
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.slice(target.indexOf('.') + 1);
  if (request.method !== 'POST' || !target.includes('.') || operation === '') {
    throw new Error(`not an AWS JSON protocol request (X-Amz-Target "${target}")`);
  }
  const input = JSON.parse(request.body.toString('utf8') || '{}') as Input;
  const requests = {
    dynamodb: dynamoDbRequests,
    secretsmanager: secretsManagerRequests,
    kms: kmsRequests,
    sqs: sqsRequests,
    events: eventBridgeRequests,
  }[service](operation, input);
  return { operation, requests };
}

const plain = (action: string, resource: string): AuthorizationRequest => ({ action, resource, context: {} });

function tableArn(table: unknown): string {
  const name = String(table ?? '');
  if (name === '') throw new Error('no TableName');
  return name.startsWith('arn:') ? name : `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
}

/** DynamoDB: IAM checks each table a request touches; a transaction's items are checked as their single actions. */
function dynamoDbRequests(operation: string, input: Input): AuthorizationRequest[] {
  const requestItems = () => Object.keys((input.RequestItems ?? {}) as Input);
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return requestItems().map((table) => plain(`dynamodb:${operation}`, tableArn(table)));
    case 'TransactGetItems':
    case 'TransactWriteItems': {
      const items = (input.TransactItems ?? []) as Array<Record<string, { TableName?: string }>>;
      const itemActions: Record<string, string> = {
        Get: 'GetItem',
        Put: 'PutItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
        ConditionCheck: 'ConditionCheckItem',
      };
      return items.flatMap((item) =>
        Object.entries(item).map(([kind, body]) => {
          const action = itemActions[kind];
          if (!action) throw new Error(`unknown ${operation} item ${kind}`);
          return plain(`dynamodb:${action}`, tableArn(body.TableName));
        }),
      );
    }
    default: {
      if (input.TableName === undefined) throw new Error(`DynamoDB ${operation} names no table`);
      const index = input.IndexName === undefined ? '' : `/index/${String(input.IndexName)}`;
      return [plain(`dynamodb:${operation}`, `${tableArn(input.TableName)}${index}`)];
    }
  }
}

/** A secret's ARN ends with a random suffix that grants cover with `*`; the stand-in's names have none. */
function secretArn(secretId: unknown): string {
  const id = String(secretId ?? '');
  return id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}-AbCdEf`;
}

function secretsManagerRequests(operation: string, input: Input): AuthorizationRequest[] {
  // CreateSecret is authorized on the ARN the new secret will have, named by its `Name`.
  const secretId = operation === 'CreateSecret' ? input.Name : input.SecretId;
  const resource = secretId === undefined ? (operation === 'ListSecrets' ? '*' : undefined) : secretArn(secretId);
  if (resource === undefined) throw new Error(`Secrets Manager ${operation} names no secret`);
  return [plain(`secretsmanager:${operation}`, resource)];
}

/** KMS: the key's ARN, and the encryption context as IAM sees it (`kms:EncryptionContextKeys`, `…:<key>`). */
function kmsRequests(operation: string, input: Input): AuthorizationRequest[] {
  const keyId = String(input.KeyId ?? '');
  if (keyId === '') throw new Error(`KMS ${operation} without KeyId: the audit cannot tell which key it uses`);
  if (keyId.startsWith('alias/') || keyId.includes(':alias/')) {
    throw new Error(`KMS ${operation} names the alias ${keyId}: the audit resolves key ids and ARNs only`);
  }
  const resource = keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
  const encryptionContext = (input.EncryptionContext ?? {}) as Record<string, string>;
  const context: Record<string, string | string[]> = {};
  if (Object.keys(encryptionContext).length > 0) context['kms:EncryptionContextKeys'] = Object.keys(encryptionContext);
  for (const [key, value] of Object.entries(encryptionContext)) context[`kms:EncryptionContext:${key}`] = value;
  return [{ action: `kms:${operation}`, resource, context }];
}

/** The batch calls are authorized as their single action. */
const SQS_ACTIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function sqsRequests(operation: string, input: Input): AuthorizationRequest[] {
  if (typeof input.QueueUrl !== 'string') throw new Error(`SQS ${operation} names no queue`);
  const [account, name] = new URL(input.QueueUrl).pathname.split('/').filter(Boolean);
  if (!account || !name) throw new Error(`SQS ${operation}: "${input.QueueUrl}" is not a queue URL`);
  return [plain(`sqs:${SQS_ACTIONS[operation] ?? operation}`, `arn:aws:sqs:${REGION}:${account}:${name}`)];
}

/**
 * EventBridge's PutEvents: IAM authorizes each entry on its bus (named, by ARN, or the default one when absent), with
 * the entry's source and detail-type as condition keys.
 */
function eventBridgeRequests(operation: string, input: Input): AuthorizationRequest[] {
  if (operation !== 'PutEvents') throw new Error(`EventBridge ${operation}: not an operation the audit knows`);
  const entries = (Array.isArray(input.Entries) ? input.Entries : []) as Array<Record<string, unknown>>;
  if (entries.length === 0) throw new Error('EventBridge PutEvents without entries');
  return entries.map((entry) => {
    const bus = typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : 'default';
    const resource = bus.startsWith('arn:') ? bus : `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${bus}`;
    return {
      action: 'events:PutEvents',
      resource,
      context: { 'events:source': String(entry.Source ?? ''), 'events:detail-type': String(entry.DetailType ?? '') },
    };
  });
}

/** S3 operations the audit can tell apart, and the IAM action each is authorized as. */
const S3_ACTIONS: Readonly<Record<string, string>> = {
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
  ListObjectsV2: 's3:ListBucket',
};

/** S3's REST protocol, path-style (`/<bucket>/<key>`): the operation from the method and the query. */
function s3Call(request: WireRequest): Parsed {
  const url = new URL(request.url, 'http://s3.stand-in');
  const [bucket, ...keyParts] = url.pathname.split('/').slice(1).map(decodeURIComponent);
  if (!bucket) throw new Error('no bucket in the path (the audit reads path-style S3 requests only)');
  const key = keyParts.join('/');
  const query = url.searchParams;
  const has = (name: string) => query.has(name);
  const operation =
    query.get('x-id') ??
    (key === ''
      ? request.method === 'GET' && query.get('list-type') === '2'
        ? 'ListObjectsV2'
        : undefined
      : {
          GET: 'GetObject',
          HEAD: 'HeadObject',
          DELETE: has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject',
          POST: has('uploads') ? 'CreateMultipartUpload' : has('uploadId') ? 'CompleteMultipartUpload' : undefined,
          PUT:
            request.headers['x-amz-copy-source'] !== undefined
              ? 'CopyObject'
              : has('uploadId')
                ? 'UploadPart'
                : 'PutObject',
        }[request.method]);
  const action = operation === undefined ? undefined : S3_ACTIONS[operation];
  if (operation === undefined || action === undefined) {
    throw new Error(`S3 ${operation ?? request.method}: not an operation the audit knows (add it to S3_ACTIONS)`);
  }
  const resource = operation === 'ListObjectsV2' ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
  // The stand-in is plain http; the SDK talks TLS 1.2 or later to S3.
  return { operation, requests: [{ action, resource, context: { 's3:TlsVersion': '1.2' } }] };
}
