import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { OperationFailedError } from './errors';

export interface StackOutputs {
  readonly secretPrefix?: string;
  readonly connectionsTableName?: string;
}

/** `SecretPrefix` and `ConnectionsTableName` from the deployed stack's outputs. */
export async function readStackOutputs(stackName: string, region: string): Promise<StackOutputs> {
  const client = new CloudFormationClient({ region });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = Stacks?.[0]?.Outputs ?? [];
    const output = (key: string) => outputs.find((entry) => entry.OutputKey === key)?.OutputValue;
    return { secretPrefix: output('SecretPrefix'), connectionsTableName: output('ConnectionsTableName') };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OperationFailedError(
      `Could not read the outputs of stack ${stackName} in ${region} (${reason}): check the stack name and region`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}
