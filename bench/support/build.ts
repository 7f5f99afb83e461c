import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING, type FunctionBundling } from '../../lib/constructs/function-bundling';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
/** Everything the bench builds goes here (git-ignored): it must be under the project so `node_modules` resolves. */
export const OUT_DIR = join(PROJECT_ROOT, 'bench', '.out');
const SYNTH_DIR = join(OUT_DIR, 'cdk.out');
const STACK_TEMPLATE = 'AkeneoCustomApp.template.json';

/** The handler files behind the stack's functions, by the short name the bench uses. */
const ENTRIES: Record<string, string> = {
  Landing: 'landing.ts',
  Activate: 'activate.ts',
  Callback: 'callback.ts',
  SyncDispatch: 'sync-dispatch.ts',
  SyncWorker: 'sync-worker.ts',
};

export interface FunctionBundle {
  /** `Callback`, `SyncWorker`, … */
  readonly name: string;
  readonly logicalId: string;
  readonly description: string;
  readonly memorySize: number;
  /** The function's environment in the template, references unresolved. */
  readonly environment: Record<string, unknown>;
  /** The synth asset, copied under the project: `require` it. */
  readonly bundlePath: string;
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  readonly entry: string;
}

/** `cdk synth` exactly as `npm run synth` runs it, into the bench's own output directory. */
export function synth(): void {
  rmSync(SYNTH_DIR, { recursive: true, force: true });
  try {
    execFileSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '-q', '-o', SYNTH_DIR], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        CDK_DISABLE_VERSION_CHECK: '1',
        CDK_DISABLE_CLI_TELEMETRY: '1',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    process.stderr.write(String((error as { stderr?: Buffer }).stderr ?? ''));
    throw error;
  }
}

interface TemplateFunction {
  readonly Type: string;
  readonly Properties: {
    readonly Code: { readonly S3Key: string };
    readonly Description: string;
    readonly MemorySize: number;
    readonly Environment?: { readonly Variables: Record<string, unknown> };
  };
}

/** Each `AWS::Lambda::Function` of the template with its asset (`Code.S3Key` is `<asset hash>.zip`). */
export function functionBundles(): FunctionBundle[] {
  const template = JSON.parse(readFileSync(join(SYNTH_DIR, STACK_TEMPLATE), 'utf8')) as {
    Resources: Record<string, TemplateFunction>;
  };
  const bundles: FunctionBundle[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = Object.keys(ENTRIES).find((candidate) => logicalId.startsWith(`App${candidate}Function`));
    if (!name) continue;
    const asset = join(SYNTH_DIR, `asset.${resource.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    const directory = join(OUT_DIR, 'fn', name);
    mkdirSync(directory, { recursive: true });
    copyFileSync(join(asset, 'index.js'), join(directory, 'index.js'));
    const hasMap = existsSync(join(asset, 'index.js.map'));
    if (hasMap) copyFileSync(join(asset, 'index.js.map'), join(directory, 'index.js.map'));
    bundles.push({
      name,
      logicalId,
      description: resource.Properties.Description,
      memorySize: resource.Properties.MemorySize,
      environment: resource.Properties.Environment?.Variables ?? {},
      bundlePath: join(directory, 'index.js'),
      bundleBytes: statSync(join(asset, 'index.js')).size,
      sourceMapBytes: hasMap ? statSync(join(asset, 'index.js.map')).size : 0,
      entry: ENTRIES[name],
    });
  }
  const order = Object.keys(ENTRIES);
  return bundles.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

export interface Contributor {
  /** A package (`undici`, `@aws-lambda-powertools/logger`) or `functions/` for the app's own code. */
  readonly name: string;
  readonly bytes: number;
}

export interface BundleAnalysis {
  /** Output size of the same build with a metafile: equals the synth asset when the options match. */
  readonly rebuiltBytes: number;
  readonly contributors: readonly Contributor[];
}

/**
 * The esbuild API options NodejsFunction derives from a `FunctionBundling` (its `buildEsbuildArgs`, for the stack's
 * Node.js 24 runtime): with `FUNCTION_BUNDLING`, the stack's own build, byte for byte.
 */
export function lambdaBuildOptions(
  entry: string,
  outfile: string,
  bundling: FunctionBundling = FUNCTION_BUNDLING,
): BuildOptions {
  return {
    entryPoints: [join(PROJECT_ROOT, 'functions', entry)],
    bundle: true,
    target: 'node24',
    platform: 'node',
    outfile,
    minify: bundling.minify,
    keepNames: bundling.keepNames,
    sourcemap: bundling.sourceMap,
    sourcesContent: bundling.sourcesContent,
    external: [...bundling.externalModules],
    ...(bundling.mainFields ? { mainFields: [...bundling.mainFields] } : {}),
    logLevel: 'error',
  };
}

/** Re-runs esbuild on the entry with the construct's options and `metafile: true`; groups the output by package. */
export async function analyseBundle(bundle: FunctionBundle): Promise<BundleAnalysis> {
  const outfile = join(OUT_DIR, 'analysis', bundle.name, 'index.js');
  const result = await build({ ...lambdaBuildOptions(bundle.entry, outfile), metafile: true });
  const output = Object.values(result.metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  if (!output) throw new Error(`esbuild produced no output for ${bundle.entry}`);
  return { rebuiltBytes: statSync(outfile).size, contributors: contributorsOf(result.metafile, output) };
}

function contributorsOf(_metafile: Metafile, output: Metafile['outputs'][string]): Contributor[] {
  const totals = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match ? match[1] : path.startsWith('functions/') ? 'functions/ (app code)' : path;
    totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** A variant of a function's bundle (the what-ifs): the stack's options with some changed. */
export async function buildVariant(bundle: FunctionBundle, variant: string, changes: Partial<FunctionBundling>) {
  const outfile = join(OUT_DIR, 'variants', `${bundle.name}-${variant}`, 'index.js');
  await build(lambdaBuildOptions(bundle.entry, outfile, { ...FUNCTION_BUNDLING, ...changes }));
  return { bundlePath: outfile, bundleBytes: statSync(outfile).size };
}

/** Bundles a bench child runner (TypeScript) to plain JS beside the function bundles: children run it with `node`. */
export async function buildChild(name: string): Promise<string> {
  const outfile = join(OUT_DIR, 'build', `${name}.js`);
  await build({
    entryPoints: [join(PROJECT_ROOT, 'bench', 'support', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile,
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
  return outfile;
}

/** A handler that does nothing: the floor every cold start is compared with. */
export function emptyHandler(): string {
  const directory = join(OUT_DIR, 'fn', 'Empty');
  mkdirSync(directory, { recursive: true });
  const path = join(directory, 'index.js');
  writeFileSync(path, '"use strict";\nexports.handler = async () => ({ statusCode: 200, body: "" });\n');
  return path;
}
