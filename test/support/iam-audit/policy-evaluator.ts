import type { AuthorizationRequest, ConditionContext } from './wire-calls';

/** A policy statement with every CloudFormation reference resolved to the stand-in names. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly [element: string]: unknown;
}

/** Who calls: a function's role, in one account. */
export interface Principal {
  readonly roleArn: string;
  readonly account: string;
}

/** The policies of a resource (a key policy, a queue or bucket policy), applying to `arn` and what lies under it. */
export interface ResourcePolicy {
  readonly name: string;
  readonly arn: string;
  readonly statements: readonly PolicyStatement[];
  /** KMS: the key policy must allow the call itself (to the role, or to the account and then IAM too). */
  readonly decidesAccess: boolean;
}

export interface Decision {
  readonly allowed: boolean;
  /** Why not, when it is not. */
  readonly reason: string;
}

export const list = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T];

/**
 * Condition keys whose value the audit knows for every request: the principal's, the transport's, and what the
 * request itself carries. A condition on any other key cannot be evaluated here, so it throws instead of guessing.
 */
const MODELED_KEYS = [
  /^aws:principalarn$/,
  /^aws:securetransport$/,
  /^s3:tlsversion$/,
  /^kms:encryptioncontextkeys$/,
  /^kms:encryptioncontext:.+$/,
  /^events:source$/,
  /^events:detail-type$/,
];

type Comparison = (actual: string, expected: string) => boolean;

const COMPARISONS: Readonly<Record<string, Comparison>> = {
  StringEquals: (actual, expected) => actual === expected,
  StringLike: (actual, expected) => glob(expected).test(actual),
  // ArnEquals and ArnLike both take wildcards.
  ArnEquals: (actual, expected) => glob(expected).test(actual),
  ArnLike: (actual, expected) => glob(expected).test(actual),
  Bool: (actual, expected) => actual.toLowerCase() === expected.toLowerCase(),
  NumericEquals: (actual, expected) => Number(actual) === Number(expected),
  NumericLessThan: (actual, expected) => Number(actual) < Number(expected),
  NumericLessThanEquals: (actual, expected) => Number(actual) <= Number(expected),
  NumericGreaterThan: (actual, expected) => Number(actual) > Number(expected),
  NumericGreaterThanEquals: (actual, expected) => Number(actual) >= Number(expected),
};
const SET_QUALIFIERS = new Set(['ForAllValues', 'ForAnyValue']);

/**
 * Throws when a statement uses something the evaluator does not implement (NotAction, NotResource, NotPrincipal, a
 * condition operator or key it does not know), so that nothing is ever allowed or denied by a guess.
 */
export function assertEvaluable(statement: PolicyStatement, where: string): void {
  for (const element of ['NotAction', 'NotResource', 'NotPrincipal']) {
    if (element in statement) throw new Error(`${where}: ${element} is not supported by the IAM audit`);
  }
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw new Error(`${where}: no Effect`);
  if (list(statement.Action).length === 0) throw new Error(`${where}: no Action`);
  if (list(statement.Resource).length === 0) throw new Error(`${where}: no Resource`);
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    const { qualifier, base } = parseOperator(operator);
    if (!COMPARISONS[base] && base !== 'Null') {
      throw new Error(`${where}: the condition operator ${operator} is not supported by the IAM audit`);
    }
    if (qualifier && !/^(String|Arn)/.test(base)) {
      throw new Error(`${where}: ${operator} is not supported by the IAM audit`);
    }
    for (const key of Object.keys(entries)) {
      if (!MODELED_KEYS.some((pattern) => pattern.test(key.toLowerCase()))) {
        throw new Error(`${where}: the condition key ${key} is not known to the IAM audit, which cannot evaluate it`);
      }
    }
  }
}

function parseOperator(operator: string): { qualifier?: string; base: string } {
  const [first, second] = operator.split(':');
  if (second !== undefined && SET_QUALIFIERS.has(first)) return { qualifier: first, base: second };
  if (second !== undefined) return { qualifier: first, base: '(unknown)' };
  return { base: first };
}

/** IAM's wildcards: `*` any run of characters, `?` one character. */
function glob(pattern: string, flags = ''): RegExp {
  const body = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, flags);
}

export function actionMatches(pattern: string, action: string): boolean {
  return glob(pattern, 'i').test(action);
}

export function resourceMatches(pattern: string, resource: string): boolean {
  return glob(pattern).test(resource);
}

/** The request's condition keys with the principal's and the transport's (the SDK calls AWS over TLS). */
export function requestContext(request: AuthorizationRequest, principal: Principal): ConditionContext {
  return { 'aws:PrincipalArn': principal.roleArn, 'aws:SecureTransport': 'true', ...request.context };
}

export function conditionsHold(statement: PolicyStatement, context: ConditionContext): boolean {
  const lookup = (key: string) =>
    Object.entries(context).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
  return Object.entries(statement.Condition ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => holds(operator, list(expected).map(String), lookup(key), key)),
  );
}

function holds(operator: string, expected: string[], actual: string | readonly string[] | undefined, key: string) {
  const { qualifier, base } = parseOperator(operator);
  const values = list(actual);
  if (base === 'Null') return (values.length === 0) === (expected[0]?.toLowerCase() === 'true');
  const compare = COMPARISONS[base];
  const matchesOne = (value: string) => expected.some((candidate) => compare(value, candidate));
  if (qualifier === 'ForAllValues') return values.every(matchesOne);
  if (qualifier === 'ForAnyValue') return values.some(matchesOne);
  if (Array.isArray(actual))
    throw new Error(`${key} has several values: ${operator} needs ForAllValues or ForAnyValue`);
  return actual !== undefined && matchesOne(actual as string);
}

/** Whether the statement's action, resource and conditions cover the request (its principal aside). */
export function statementCovers(statement: PolicyStatement, request: AuthorizationRequest, principal: Principal) {
  return (
    list(statement.Action).some((pattern) => actionMatches(pattern, request.action)) &&
    list(statement.Resource).some((pattern) => resourceMatches(pattern, request.resource)) &&
    conditionsHold(statement, requestContext(request, principal))
  );
}

/**
 * Whom a resource policy statement names: the role itself (or everyone), the account (which hands the decision to
 * the account's IAM policies), or someone else (a service, another account).
 */
export function principalOf(statement: PolicyStatement, principal: Principal): 'role' | 'account' | 'other' {
  const named = statement.Principal;
  if (named === undefined) return 'other';
  if (named === '*') return 'role';
  const arns = list(named.AWS);
  if (arns.includes('*') || arns.includes(principal.roleArn)) return 'role';
  if (arns.some((arn) => arn === principal.account || arn === `arn:aws:iam::${principal.account}:root`)) {
    return 'account';
  }
  return 'other';
}

export function describeStatement(statement: PolicyStatement): string {
  return statement.Sid ?? `${statement.Effect} ${list(statement.Action).join(', ')}`;
}

/**
 * IAM's decision for one request of the role, in one account: an explicit Deny anywhere wins; otherwise the role's
 * own policies must allow it, or a resource policy naming the role; for KMS the key policy must allow it as well
 * (to the role, or to the account, which then needs the role's own Allow).
 */
export function authorize(
  request: AuthorizationRequest,
  principal: Principal,
  identity: readonly PolicyStatement[],
  resourcePolicy: ResourcePolicy | undefined,
): Decision {
  const covering = identity.filter((statement) => statementCovers(statement, request, principal));
  const resourceCovering = (resourcePolicy?.statements ?? []).filter(
    (statement) => principalOf(statement, principal) !== 'other' && statementCovers(statement, request, principal),
  );
  const denial = [...covering, ...resourceCovering].find((statement) => statement.Effect === 'Deny');
  if (denial) return { allowed: false, reason: `explicitly denied by "${describeStatement(denial)}"` };
  const identityAllows = covering.some((statement) => statement.Effect === 'Allow');
  const resourceAllows = (whom: 'role' | 'account') =>
    resourceCovering.some((statement) => statement.Effect === 'Allow' && principalOf(statement, principal) === whom);
  if (resourcePolicy?.decidesAccess) {
    if (resourceAllows('role') || (resourceAllows('account') && identityAllows)) return { allowed: true, reason: '' };
    return {
      allowed: false,
      reason: resourceAllows('account')
        ? `${resourcePolicy.name} leaves it to IAM, and no statement of the role's policies allows it`
        : `no statement of ${resourcePolicy.name} allows it to this role`,
    };
  }
  if (identityAllows || resourceAllows('role')) return { allowed: true, reason: '' };
  return { allowed: false, reason: "no statement of the role's policies allows it" };
}
