import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbConnectionStore } from '../functions/adapters/connection-store';
import { requireSetting } from '../functions/config';
import type { Connection, ConnectionStatus } from '../functions/core/connection';
import { localDynamoDbClientConfig } from '../functions/wiring/local-dynamodb';
import type { SandboxPim } from '../sandbox';
import type { LocalApp } from './local-app';

/** One sandbox PIM as `npm start` found it: its custom apps as the PIM sees them, and the app's own connection. */
export interface PimState {
  readonly url: string;
  readonly apps: ReadonlyArray<{ readonly name: string; readonly connected: boolean }>;
  /** The app's stored connection with this PIM, if it ever connected. */
  readonly connection?: { readonly status: ConnectionStatus; readonly statusReason?: string };
}

export interface StartBannerInput {
  readonly app: { readonly url: string; readonly activateUrl: string; readonly callbackUrl: string };
  readonly dataDir: string;
  /** Absent with SANDBOX=0. */
  readonly sandbox?: PimState;
  readonly rehearsal?: PimState;
}

/** What `npm start` prints once everything listens: the URLs, and the real state of each PIM. */
export function startBanner({ app, dataDir, sandbox, rehearsal }: StartBannerInput): string {
  const lines = [
    '',
    `App:          ${app.url}`,
    `  Activate URL  ${app.activateUrl}`,
    `  Callback URL  ${app.callbackUrl}`,
  ];
  if (sandbox) {
    lines.push(`Sandbox PIM:  ${sandbox.url}`, ...pimLines(sandbox));
    if (rehearsal) {
      lines.push(
        `Rehearsal PIM: ${rehearsal.url}`,
        ...(rehearsal.apps.length > 0
          ? pimLines(rehearsal)
          : [
              "  No app yet, to rehearse Akeneo's steps: System → Roles (grant Create and delete custom apps), then",
              '  Connect → App Store → Create an App with the two URLs above, and run the command it shows.',
            ]),
      );
    }
  } else {
    lines.push(
      'No sandbox PIM (SANDBOX=0): register a real PIM with `npm run pim -- add <pimUrl> --client-id <id> --client-secret-stdin`.',
    );
  }
  lines.push(`Data:         ${dataDir}`, 'Press Ctrl+C to stop.', '');
  return lines.join('\n');
}

/** The banner of a running local app, from its Connections table and each sandbox's own state. */
export async function startBannerOf(app: LocalApp): Promise<string> {
  const connections = app.sandbox ? await listConnections(app) : [];
  return startBanner({
    app,
    dataDir: app.config.dataDir,
    sandbox: app.sandbox && pimState(app.sandbox, connections),
    rehearsal: app.rehearsalSandbox && pimState(app.rehearsalSandbox, connections),
  });
}

async function listConnections({ config }: LocalApp): Promise<Connection[]> {
  const client = new DynamoDBClient(
    localDynamoDbClientConfig({
      endpoint: requireSetting(config, 'dynamodbEndpoint'),
      accessKeyId: config.dynamodbAccessKeyId,
    }),
  );
  try {
    return await new DynamoDbConnectionStore({
      client: DynamoDBDocumentClient.from(client),
      tableName: requireSetting(config, 'connectionsTableName'),
    }).list();
  } finally {
    client.destroy();
  }
}

function pimState(pim: SandboxPim, connections: readonly Connection[]): PimState {
  const connection = connections.find((candidate) => candidate.pimHost === new URL(pim.url).host);
  return {
    url: pim.url,
    apps: pim.apps.map((app) => ({ name: app.name, connected: pim.connectedApp(app.clientId) !== undefined })),
    ...(connection ? { connection: { status: connection.status, statusReason: connection.statusReason } } : {}),
  };
}

function pimLines({ url, apps, connection }: PimState): string[] {
  const appSide = connection ? describeConnection(connection) : undefined;
  // The PIM host has one connection: it belongs to the app the PIM has connected, if any.
  const someConnected = apps.some((app) => app.connected);
  return apps.flatMap(({ name, connected }) => {
    if (connected && connection?.status === 'active') {
      return [`  Connected: "${name}" (the app's connection is active). Open app: ${url}/connect/connected-apps`];
    }
    if (connected) {
      return [
        `  Connected in the PIM: "${name}", but the app's connection is ${appSide ?? 'missing'}.`,
        `  Reconnect: open ${url}/connect/connected-apps and click Open app on "${name}".`,
      ];
    }
    if (!someConnected && connection?.status === 'active') {
      return [
        `  Not connected: "${name}" was disconnected in the PIM (the app's connection stays active until the next sync).`,
        `  Connect again: open ${url}/connect/app-store and click Connect on "${name}".`,
      ];
    }
    return [`  Ready to connect: open ${url}/connect/app-store and click Connect on "${name}".`];
  });
}

function describeConnection({ status, statusReason }: NonNullable<PimState['connection']>): string {
  return statusReason ? `${status} (${statusReason})` : status;
}
