/** The Lambda functions that call AWS, as their requests name them. */
export type AwsCallingFunction = 'activate' | 'callback' | 'sync-dispatch' | 'sync-worker';

/**
 * The options every AWS SDK client of a function is created with: its user agent ends with
 * `akeneo-custom-app/<function>`, so each request says which function sent it (CloudTrail's userAgent; the IAM audit
 * in the tests attributes every call by it). Tools that are no function (the local banner, the bench) pass none.
 */
export function awsClientOptions(caller: AwsCallingFunction | undefined): { readonly customUserAgent?: string } {
  return caller === undefined ? {} : { customUserAgent: `akeneo-custom-app/${caller}` };
}
