import { runPimCli } from '../ops/cli';
import { processIo } from '../ops/process-io';

// The SDK's notice about future Node versions would end every ops command; the deployment owns that concern.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** `npm run pim -- <command>`: the ops CLI. */
runPimCli(process.argv.slice(2), processIo(process)).then((exitCode) => {
  process.exitCode = exitCode;
});
