import { list, type PolicyStatement, type Principal, type ResourcePolicy } from './policy-evaluator';
import { ACCOUNT, type CfnTemplate, type StandInNames } from './stand-in-names';

/** Where a statement sits in the template: the JSON path of its raw form, to remove it from a copy. */
export type TemplatePath = readonly (string | number)[];

export interface LocatedStatement {
  readonly statement: PolicyStatement;
  readonly path: TemplatePath;
  /** `AWS::IAM::Policy AppCallbackRoleDefaultPolicy…`, for messages. */
  readonly source: string;
}

export interface LocatedResourcePolicy extends ResourcePolicy {
  readonly located: readonly LocatedStatement[];
}

type Properties = Readonly<Record<string, unknown>>;
interface PolicyDocument {
  readonly Statement: unknown;
}

/**
 * The policies of the synthesized template, resolved to the stand-in names: a role's own statements (inline,
 * `AWS::IAM::Policy`, customer managed policies) and the resource policies (key policies, queue, bucket and table
 * policies). What cannot be read from the template (an AWS managed policy, a permissions boundary) throws. Statements
 * are not checked here: the audit checks those that can apply to a role (`assertEvaluable`).
 */
export class StackPolicies {
  readonly #template: CfnTemplate;
  readonly #names: StandInNames;

  constructor(template: CfnTemplate, names: StandInNames) {
    this.#template = template;
    this.#names = names;
  }

  /** The role a function runs with, from its `Role` property. */
  roleOf(functionLogicalId: string): string {
    const role = this.#template.Resources[functionLogicalId]?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] };
    const roleId = role?.['Fn::GetAtt']?.[0];
    if (!roleId) throw new Error(`${functionLogicalId} has no role of this template (Role: ${JSON.stringify(role)})`);
    return roleId;
  }

  principal(roleLogicalId: string): Principal {
    return { roleArn: this.#names.attribute(roleLogicalId, 'Arn'), account: ACCOUNT };
  }

  identityStatements(roleLogicalId: string): LocatedStatement[] {
    const resources = this.#template.Resources;
    const role = resources[roleLogicalId];
    if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not a role`);
    const properties = role.Properties ?? {};
    if (properties.PermissionsBoundary !== undefined) {
      throw new Error(`${roleLogicalId} has a permissions boundary: the IAM audit does not evaluate it`);
    }
    const inline = list(properties.Policies as { PolicyDocument: PolicyDocument }[] | undefined).flatMap((policy, i) =>
      this.#statements(
        policy.PolicyDocument,
        ['Resources', roleLogicalId, 'Properties', 'Policies', i, 'PolicyDocument'],
        `${roleLogicalId} inline policy ${i}`,
      ),
    );
    const attachedTo = (id: string) =>
      list(resources[id].Properties?.Roles as unknown[] | undefined).some(
        (ref) => (ref as { Ref?: string }).Ref === roleLogicalId,
      );
    const attached = Object.keys(resources)
      .filter((id) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resources[id].Type) && attachedTo(id))
      .flatMap((id) => this.#documentOf(id));
    const managed = list(properties.ManagedPolicyArns as unknown[] | undefined).flatMap((arn) => {
      const id = (arn as { Ref?: string }).Ref;
      if (id === undefined || resources[id]?.Type !== 'AWS::IAM::ManagedPolicy') {
        throw new Error(`${roleLogicalId} has the managed policy ${JSON.stringify(arn)}, which the audit cannot read`);
      }
      return attachedTo(id) ? [] : this.#documentOf(id);
    });
    return [...inline, ...attached, ...managed];
  }

  /** Every resource policy of the template, with the ARN it applies to. */
  resourcePolicies(): LocatedResourcePolicy[] {
    return Object.entries(this.#template.Resources).flatMap(([id, resource]): LocatedResourcePolicy[] => {
      const properties: Properties = resource.Properties ?? {};
      const policy = (arn: string, path: readonly string[], decidesAccess: boolean) => {
        const document = path.reduce<unknown>((value, key) => (value as Properties | undefined)?.[key], properties);
        const located = this.#statements(
          document as PolicyDocument,
          ['Resources', id, 'Properties', ...path],
          `${resource.Type} ${id}`,
        );
        return {
          name: `${resource.Type} ${id}`,
          arn,
          located,
          statements: located.map((s) => s.statement),
          decidesAccess,
        };
      };
      switch (resource.Type) {
        case 'AWS::KMS::Key':
          return [policy(this.#names.attribute(id, 'Arn'), ['KeyPolicy'], true)];
        case 'AWS::SQS::QueuePolicy':
          return list(properties.Queues as unknown[]).map((queue) =>
            policy(this.#queueArn(queue), ['PolicyDocument'], false),
          );
        case 'AWS::S3::BucketPolicy':
          return [policy(`arn:aws:s3:::${this.#names.resolveString(properties.Bucket)}`, ['PolicyDocument'], false)];
        case 'AWS::DynamoDB::Table':
          if (properties.ResourcePolicy === undefined) return [];
          return [policy(this.#names.attribute(id, 'Arn'), ['ResourcePolicy', 'PolicyDocument'], false)];
        default:
          return [];
      }
    });
  }

  /** The resource policy that applies to an ARN (a key, a queue, a bucket and its objects, a table and its indexes). */
  resourcePolicyFor(arn: string): LocatedResourcePolicy | undefined {
    const matching = this.resourcePolicies().filter((policy) => arn === policy.arn || arn.startsWith(`${policy.arn}/`));
    if (matching.length > 1) throw new Error(`Several resource policies apply to ${arn}: the audit reads one`);
    return matching[0];
  }

  #queueArn(queue: unknown): string {
    const id = (queue as { Ref?: string }).Ref;
    if (id === undefined) throw new Error(`A queue policy names the queue ${JSON.stringify(queue)}, not a Ref`);
    return this.#names.attribute(id, 'Arn');
  }

  #documentOf(id: string): LocatedStatement[] {
    const document = this.#template.Resources[id].Properties?.PolicyDocument as PolicyDocument;
    return this.#statements(
      document,
      ['Resources', id, 'Properties', 'PolicyDocument'],
      `${this.#template.Resources[id].Type} ${id}`,
    );
  }

  #statements(document: PolicyDocument | undefined, documentPath: TemplatePath, source: string): LocatedStatement[] {
    if (document === undefined) return [];
    if (!Array.isArray(document.Statement)) throw new Error(`${source}: Statement is not a list`);
    return document.Statement.map((raw, index) => {
      const statement = this.#names.resolve(raw) as PolicyStatement;
      return { statement, path: [...documentPath, 'Statement', index], source: `${source}, statement ${index}` };
    });
  }
}
