import { type BundlingOptions, LogLevel as EsbuildLogLevel } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function is bundled and started. `AppFunction` gives it to NodejsFunction; the bench rebuilds the
 * functions from the same object (bench/support/build.ts), so that what it measures is what deploys.
 */
export interface FunctionBundling {
  readonly minify: boolean;
  /** Errors are named after their class (`new.target.name`): minified names would make every log say `y`. */
  readonly keepNames: boolean;
  readonly sourceMap: boolean;
  readonly sourcesContent: boolean;
  /** Left out of the bundle, for the runtime to provide. */
  readonly externalModules: readonly string[];
  /** Which `package.json` fields esbuild resolves a package by, in order. @default esbuild's: main, then module */
  readonly mainFields?: readonly string[];
  /** Node.js flags of the function (`NODE_OPTIONS`). */
  readonly nodeOptions: readonly string[];
}

export const FUNCTION_BUNDLING: FunctionBundling = {
  minify: true,
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  // The Node.js runtime provides the AWS SDK v3; each handler imports only the clients it uses.
  externalModules: ['@aws-sdk/*'],
  nodeOptions: ['--enable-source-maps'],
};

/** NodejsFunction's `bundling` for these options (always local esbuild, never Docker). */
export function nodejsBundlingOptions(bundling: FunctionBundling): BundlingOptions {
  return {
    forceDockerBundling: false,
    minify: bundling.minify,
    keepNames: bundling.keepNames,
    sourceMap: bundling.sourceMap,
    sourcesContent: bundling.sourcesContent,
    externalModules: [...bundling.externalModules],
    ...(bundling.mainFields ? { mainFields: [...bundling.mainFields] } : {}),
    logLevel: EsbuildLogLevel.ERROR,
  };
}
