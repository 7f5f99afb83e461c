import { loadConfig } from '../functions/config';
import { SETTINGS } from '../functions/contract/settings';
import { asAppError, reasonOf } from '../functions/core/errors';
import { startLocalApp } from '../local/local-app';
import { readLocalServerSettings } from '../local/settings';
import { startBannerOf } from '../local/start-banner';

/** `npm start`: the app on this machine, with the sandbox PIM beside it unless SANDBOX=0. */
async function main(): Promise<void> {
  process.env[SETTINGS.mode.env] = 'local';
  process.env.POWERTOOLS_DEV ??= 'true';
  // Node 20 is supported here; the SDK's notice about its future Node 22 minimum is noise for a local run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadConfig(process.env);
  const { port, sandbox } = readLocalServerSettings(process.env);
  const app = await startLocalApp({ config, port, sandbox });
  process.stdout.write(await startBannerOf(app));
  const stop = () => {
    app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // A data directory in use is no failure of this start: the message alone says what to do.
  const failure = asAppError(error);
  const message = reasonOf(failure);
  process.stderr.write(failure.code === 'data_dir_in_use' ? `${message}\n` : `Could not start: ${message}\n`);
  process.exit(1);
});
