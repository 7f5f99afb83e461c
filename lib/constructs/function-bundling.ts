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

/**
 * Measured by the bench's cold-start what-ifs (bench/README.md): the SDK bundled in from its ES modules, and no
 * `--enable-source-maps`, each start the Callback with less work than the runtime's SDK and the flag do.
 */
export const FUNCTION_BUNDLING: FunctionBundling = {
  minify: true,
  keepNames: true,
  // External maps, in the asset beside the code, to read a minified stack trace by; never loaded at run time.
  sourceMap: true,
  sourcesContent: false,
  // The SDK v3 in the bundle (AWS's own guidance), not the runtime's copy: only the clients each handler imports,
  // tree-shaken, in one file, at the version the lock file pins.
  externalModules: [],
  // The SDK's ES modules (`module`) before its CommonJS build (`main`): esbuild tree-shakes only the former.
  mainFields: ['module', 'main'],
  nodeOptions: [],
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
