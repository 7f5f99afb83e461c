import { randomUUID } from 'node:crypto';
import { type AwsOperation, AwsServiceError, startAwsJsonService } from './aws-json-service';

/**
 * A local Amazon EventBridge for the tests: `PutEvents` in the AWS JSON 1.1 protocol (`X-Amz-Target:
 * AWSEvents.PutEvents`), so the unmodified SDK client, pointed here with `AWS_ENDPOINT_URL_EVENTBRIDGE`, runs as
 * against AWS. Like EventBridge it knows its buses (the default one and those it is given), refuses a request for
 * another bus or of more than 10 entries, answers each entry on its own (an entry without source, detail-type or a
 * JSON object as detail fails alone) and counts the failed ones in `FailedEntryCount`.
 */
export interface EventBridgeStandIn {
  readonly endpoint: string;
  /** Every operation received, in order. */
  readonly calls: string[];
  /** Every event accepted, in order. */
  readonly events: readonly PutEvent[];
  /** The next `count` entries are refused (in the answer's entries, with this error code), as EventBridge may do. */
  refuseNext(count: number, errorCode?: string): void;
  close(): Promise<void>;
}

export interface PutEvent {
  readonly id: string;
  readonly busName: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  /** ISO 8601: the entry's `Time`, or when it was received. */
  readonly time: string;
  readonly resources: readonly string[];
}

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

export async function startEventBridgeStandIn(busNames: readonly string[] = []): Promise<EventBridgeStandIn> {
  const buses = new Set(['default', ...busNames]);
  const events: PutEvent[] = [];
  let refusals: { count: number; errorCode: string } = { count: 0, errorCode: 'InternalFailure' };

  const busOf = (given: unknown): string => {
    const name = typeof given === 'string' && given !== '' ? given : 'default';
    const arn = /^arn:aws:events:[^:]+:\d{12}:event-bus\/(.+)$/.exec(name);
    const busName = arn ? arn[1] : name;
    if (!buses.has(busName)) {
      throw new AwsServiceError('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
    }
    return busName;
  };
  const invalid = (errorCode: string, errorMessage: string) => ({ ErrorCode: errorCode, ErrorMessage: errorMessage });
  const accept = (entry: Record<string, unknown>, busName: string) => {
    if (typeof entry.Source !== 'string' || entry.Source === '') {
      return invalid('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
    }
    if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
      return invalid(
        'InvalidArgument',
        'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      );
    }
    let detail: unknown;
    try {
      detail = JSON.parse(String(entry.Detail ?? ''));
    } catch {
      return invalid('MalformedDetail', 'Detail is malformed.');
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return invalid('MalformedDetail', 'Detail is malformed.');
    }
    const id = randomUUID();
    events.push({
      id,
      busName,
      source: entry.Source,
      detailType: entry.DetailType,
      detail,
      time: new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : Date.now()).toISOString(),
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
    });
    return { EventId: id };
  };

  const operations: Record<string, AwsOperation> = {
    PutEvents: (input) => {
      const entries = (Array.isArray(input.Entries) ? input.Entries : []) as Array<Record<string, unknown>>;
      if (entries.length === 0 || entries.length > MAX_ENTRIES) {
        throw new AwsServiceError(
          'ValidationException',
          `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ` +
            `less than or equal to ${MAX_ENTRIES} and greater than or equal to 1`,
        );
      }
      if (Buffer.byteLength(JSON.stringify(entries)) > MAX_REQUEST_BYTES) {
        throw new AwsServiceError('ValidationException', 'Total size of the entries in the request is over the limit.');
      }
      const busNames = entries.map((entry) => busOf(entry.EventBusName));
      const results = entries.map((entry, index) => {
        if (refusals.count > 0) {
          refusals = { ...refusals, count: refusals.count - 1 };
          return invalid(refusals.errorCode, 'Refused by the test');
        }
        return accept(entry, busNames[index]);
      });
      return {
        FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
        Entries: results,
      };
    },
  };

  const service = await startAwsJsonService({
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    operations,
    unknownOperationType: 'UnknownOperationException',
    internalErrorType: 'InternalException',
    strict: true,
  });
  return {
    endpoint: service.endpoint,
    calls: service.calls,
    events,
    refuseNext(count, errorCode = 'InternalFailure') {
      refusals = { count, errorCode };
    },
    close: service.close,
  };
}
