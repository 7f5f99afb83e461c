import { callsMadeForTheFunction } from './calls-made-for-a-function';
import {
  actionMatches,
  assertEvaluable,
  authorize,
  conditionsHold,
  list,
  type PolicyStatement,
  type Principal,
  principalOf,
  requestContext,
  resourceMatches,
} from './policy-evaluator';
import { type LocatedResourcePolicy, type LocatedStatement, StackPolicies, type TemplatePath } from './stack-policies';
import type { CfnTemplate, StandInNames } from './stand-in-names';
import type { AuthorizationRequest, RecordedCall } from './wire-calls';

export interface AuditedFunction {
  /** As its AWS clients name it in their user agent (`akeneo-custom-app/<name>`). */
  readonly name: string;
  readonly functionLogicalId: string;
}

export interface AuditInput {
  readonly template: CfnTemplate;
  readonly names: StandInNames;
  readonly functions: readonly AuditedFunction[];
  /** Every request recorded on the wire while the functions ran. */
  readonly calls: readonly RecordedCall[];
}

/** One action on one resource that a statement allows a function: what removing it from the template takes away. */
export interface Grant {
  readonly functionName: string;
  readonly action: string;
  readonly resource: string;
  readonly statement: PolicyStatement;
  readonly path: TemplatePath;
  readonly actionIndex: number;
  readonly resourceIndex: number;
  /** Where the statement is, for messages. */
  readonly source: string;
  /** For a statement of a resource policy (a key policy): the resource it belongs to. */
  readonly policyArn?: string;
}

export interface AuditReport {
  /** Empty when every call is allowed and every grant used: each line says what and why. */
  readonly problems: readonly string[];
  readonly grants: readonly Grant[];
  /** Per function, each distinct request checked (recorded or made for it), as `action resource`. */
  readonly checked: ReadonlyMap<string, readonly string[]>;
}

interface CheckedRequest {
  readonly request: AuthorizationRequest;
  /** The call it came from, or who makes it for the function. */
  readonly madeBy: string;
}

/**
 * Checks every recorded call against the policies of the template, as IAM would on AWS, and every grant of each
 * function against the calls: a call no statement allows (a first deploy's AccessDenied), a call no function claims,
 * and a grant nothing uses are all problems.
 */
export function auditStack({ template, names, functions, calls }: AuditInput): AuditReport {
  const policies = new StackPolicies(template, names);
  const problems: string[] = [];
  const grants: Grant[] = [];
  const checked = new Map<string, string[]>();
  const known = new Set(functions.map((fn) => fn.name));

  for (const call of calls) {
    const what = `${call.service} ${call.operation}${call.requests.map((r) => ` on ${r.resource}`).join('')}`;
    if (call.problem !== undefined)
      problems.push(`unreadable call from ${call.caller ?? 'no function'}: ${call.problem}`);
    else if (call.caller === undefined) {
      problems.push(`unattributed call: ${what} (its user agent names no function: akeneo-custom-app/<function>)`);
    } else if (!known.has(call.caller)) problems.push(`call from ${call.caller}, a function not in the audit: ${what}`);
  }

  for (const fn of functions) {
    const roleId = policies.roleOf(fn.functionLogicalId);
    const principal = policies.principal(roleId);
    const identity = policies.identityStatements(roleId);
    for (const { statement, source } of identity) assertEvaluable(statement, source);
    const requests = requestsOf(fn, template, names, calls);
    checked.set(fn.name, [...new Set(requests.map(({ request }) => describe(request)))].sort());

    for (const { request, madeBy } of dedupe(requests)) {
      const resourcePolicy = policies.resourcePolicyFor(request.resource);
      for (const { statement, source } of resourcePolicy?.located ?? []) {
        if (principalOf(statement, principal) !== 'other') assertEvaluable(statement, source);
      }
      const identityStatements = identity.map((located) => located.statement);
      const decision = authorize(request, principal, identityStatements, resourcePolicy);
      if (!decision.allowed) {
        problems.push(`${fn.name}: ${describe(request)} (${madeBy}) would be AccessDenied on AWS: ${decision.reason}`);
      }
    }

    const granted = grantsOf(fn.name, identity, policies.resourcePolicies(), principal);
    grants.push(...granted);
    for (const grant of granted) {
      if (!requests.some(({ request }) => grantCovers(grant, request, principal))) {
        problems.push(
          `${fn.name}: ${grant.source} grants ${grant.action} on ${grant.resource}, which no call used: remove the ` +
            'grant, or, if AWS makes the call for the function, derive it in calls-made-for-a-function.ts',
        );
      }
    }
  }
  return { problems, grants, checked };
}

function requestsOf(
  fn: AuditedFunction,
  template: CfnTemplate,
  names: StandInNames,
  calls: readonly RecordedCall[],
): CheckedRequest[] {
  return [
    ...calls
      .filter((call) => call.caller === fn.name)
      .flatMap((call) => call.requests.map((request) => ({ request, madeBy: `its ${call.operation} call` }))),
    ...callsMadeForTheFunction(template, names, fn.functionLogicalId).map(({ request, reason }) => ({
      request,
      madeBy: reason,
    })),
  ];
}

function dedupe(requests: readonly CheckedRequest[]): CheckedRequest[] {
  const seen = new Map<string, CheckedRequest>();
  for (const checked of requests) {
    const key = JSON.stringify([checked.request, checked.madeBy]);
    if (!seen.has(key)) seen.set(key, checked);
  }
  return [...seen.values()];
}

function describe(request: AuthorizationRequest): string {
  const keys = request.context['kms:EncryptionContextKeys'];
  const context = keys === undefined ? '' : ` with encryption context {${list(keys).join(', ')}}`;
  return `${request.action} on ${request.resource}${context}`;
}

/**
 * What each statement allows this function: every Allow of its role's policies, and the Allow statements of resource
 * policies that single its role out (by name, or by an `aws:PrincipalArn` condition), such as the token key's uses.
 */
function grantsOf(
  functionName: string,
  identity: readonly LocatedStatement[],
  resourcePolicies: readonly LocatedResourcePolicy[],
  principal: Principal,
): Grant[] {
  const split = (located: LocatedStatement, policyArn?: string): Grant[] =>
    list(located.statement.Action).flatMap((action, actionIndex) =>
      list(located.statement.Resource).map((resource, resourceIndex) => ({
        functionName,
        action,
        resource: policyArn !== undefined && resource === '*' ? policyArn : resource,
        statement: located.statement,
        path: located.path,
        actionIndex,
        resourceIndex,
        source: located.source,
        ...(policyArn === undefined ? {} : { policyArn }),
      })),
    );
  return [
    ...identity.filter((located) => located.statement.Effect === 'Allow').flatMap((located) => split(located)),
    ...resourcePolicies.flatMap((policy) =>
      policy.located
        .filter(({ statement }) => statement.Effect === 'Allow' && singlesOut(statement, principal))
        .flatMap((located) => {
          assertEvaluable(located.statement, located.source);
          return split(located, policy.arn);
        }),
    ),
  ];
}

/** A resource policy statement written for this role: it names the role, or a condition on its ARN names it. */
function singlesOut(statement: PolicyStatement, principal: Principal): boolean {
  if (list(statement.Principal === '*' ? undefined : statement.Principal?.AWS).includes(principal.roleArn)) return true;
  return Object.values(statement.Condition ?? {}).some((entries) =>
    Object.entries(entries).some(
      ([key, values]) =>
        key.toLowerCase() === 'aws:principalarn' &&
        list(values).some((value) => resourceMatches(String(value), principal.roleArn)),
    ),
  );
}

function grantCovers(grant: Grant, request: AuthorizationRequest, principal: Principal): boolean {
  const inPolicyResource =
    grant.policyArn === undefined ||
    ((request.resource === grant.policyArn || request.resource.startsWith(`${grant.policyArn}/`)) &&
      principalOf(grant.statement, principal) !== 'other');
  return (
    inPolicyResource &&
    actionMatches(grant.action, request.action) &&
    resourceMatches(grant.resource, request.resource) &&
    conditionsHold(grant.statement, requestContext(request, principal))
  );
}

/** A copy of the template without this one action on this one resource (the rest of its statement stays). */
export function withoutGrant(template: CfnTemplate, grant: Grant): CfnTemplate {
  const copy = structuredClone(template) as CfnTemplate;
  const statements = grant.path.slice(0, -1).reduce<unknown>((node, key) => (node as never)[key], copy) as unknown[];
  const index = grant.path.at(-1) as number;
  const raw = statements[index] as Record<string, unknown>;
  const actions = list(raw.Action as unknown);
  const resources = list(raw.Resource as unknown);
  const otherActions = actions.filter((_, i) => i !== grant.actionIndex);
  const otherResources = resources.filter((_, i) => i !== grant.resourceIndex);
  const remaining = [
    ...(otherActions.length > 0 ? [{ ...raw, Action: otherActions }] : []),
    ...(otherResources.length > 0 ? [{ ...raw, Action: [actions[grant.actionIndex]], Resource: otherResources }] : []),
  ];
  statements.splice(index, 1, ...remaining);
  return copy;
}
