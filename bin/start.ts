import { loadConfig } from '../functions/config';
import { startLocalApp } from '../functions/local/local-app';

/** `npm start`: the app on this machine, with the sandbox PIM beside it unless SANDBOX=0. */
async function main(): Promise<void> {
  process.env.APP_MODE = 'local';
  process.env.POWERTOOLS_DEV ??= 'true';
  const config = loadConfig(process.env);
  const port = Number(process.env.PORT ?? 3000);
  const withSandbox = process.env.SANDBOX !== '0';
  const app = await startLocalApp({
    config,
    port,
    sandbox: withSandbox
      ? {
          port: Number(process.env.SANDBOX_PORT ?? port + 1),
          productCount: process.env.SANDBOX_PRODUCTS ? Number(process.env.SANDBOX_PRODUCTS) : undefined,
        }
      : false,
  });
  const lines = [
    '',
    `App:          ${app.url}`,
    `  Activate URL  ${app.activateUrl}`,
    `  Callback URL  ${app.callbackUrl}`,
  ];
  if (app.sandbox) {
    lines.push(
      `Sandbox PIM:  ${app.sandbox.url}`,
      `  Open ${app.sandbox.url}/connect/app-store and click Connect on "Local app".`,
    );
  } else {
    lines.push(
      'No sandbox PIM (SANDBOX=0): register a real PIM with `npm run pim -- add <pimUrl> --client-id <id> --client-secret-stdin`.',
    );
  }
  lines.push(`Data:         ${config.dataDir}`, 'Press Ctrl+C to stop.', '');
  process.stdout.write(lines.join('\n'));
  const stop = () => {
    app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
