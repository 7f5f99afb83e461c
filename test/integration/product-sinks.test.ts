import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  LocalDirectoryProductSink,
  MANIFEST_NAME,
  type RunRef,
  runPrefix,
  S3ProductSink,
} from '../../functions/adapters/product-sink';
import type { ManifestLocation } from '../../functions/contract/run-completed-event';
import {
  type ManifestRead,
  productSinkContract,
  type ReconciliationManifestRead,
  type SinkUnderTest,
} from '../contracts/product-sink.contract';
import { type S3StandIn, startS3StandIn } from '../support/s3-stand-in';

const PART = /^part-(\d{5})\.ndjson$/;
const DELETED_PART = /^deleted-(\d{5})\.ndjson$/;

/** The NDJSON layout read back as a consumer of the exports would: from the names and contents under the run. */
async function readNdjsonRun(names: string[], read: (name: string) => Promise<string>) {
  const partsNamed = async (pattern: RegExp) => {
    const parts = new Map<number, unknown[]>();
    for (const name of names) {
      const match = pattern.exec(name);
      if (!match) continue;
      const text = await read(name);
      parts.set(
        Number(match[1]),
        text === ''
          ? []
          : text
              .replace(/\n$/, '')
              .split('\n')
              .map((line) => JSON.parse(line)),
      );
    }
    return parts;
  };
  const manifest = names.includes(MANIFEST_NAME)
    ? (JSON.parse(await read(MANIFEST_NAME)) as ManifestRead | ReconciliationManifestRead)
    : undefined;
  return { parts: await partsNamed(PART), deletedParts: await partsNamed(DELETED_PART), manifest };
}

describe('the S3 sink (on s3rver)', () => {
  let s3: S3StandIn;
  afterAll(() => s3.close());

  productSinkContract(async () => {
    s3 = await startS3StandIn('exports');
    const names = async (run: RunRef) => (await s3.keys(runPrefix(run))).map((key) => key.slice(runPrefix(run).length));
    const readRun = async (run: RunRef) =>
      readNdjsonRun(await names(run), (name) => s3.text(`${runPrefix(run)}${name}`));
    return {
      sink: new S3ProductSink({ client: s3.client, bucketName: s3.bucket }),
      readParts: async (run) => (await readRun(run)).parts,
      readDeletedParts: async (run) => (await readRun(run)).deletedParts,
      readManifest: async (run) => (await readRun(run)).manifest,
      names,
      readAt: async (location: ManifestLocation) => {
        if (!('bucket' in location)) throw new Error(`Not an S3 location: ${JSON.stringify(location)}`);
        expect(location.bucket).toBe(s3.bucket);
        expect(location.uri).toBe(`s3://${location.bucket}/${location.key}`);
        return s3.text(location.key);
      },
    } satisfies SinkUnderTest;
  });
});

describe('the local directory sink', () => {
  let directory: string;
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  productSinkContract(async () => {
    directory = mkdtempSync(join(tmpdir(), 'product-sink-'));
    const runDirectory = (run: RunRef) => join(directory, runPrefix(run));
    const names = async (run: RunRef) => {
      try {
        return readdirSync(runDirectory(run)).sort();
      } catch {
        return [];
      }
    };
    const readRun = async (run: RunRef) =>
      readNdjsonRun(await names(run), async (name) => readFileSync(join(runDirectory(run), name), 'utf8'));
    return {
      sink: new LocalDirectoryProductSink(directory),
      readParts: async (run) => (await readRun(run)).parts,
      readDeletedParts: async (run) => (await readRun(run)).deletedParts,
      readManifest: async (run) => (await readRun(run)).manifest,
      names,
      readAt: async (location: ManifestLocation) => {
        if (!('path' in location)) throw new Error(`Not a file location: ${JSON.stringify(location)}`);
        expect(isAbsolute(location.path)).toBe(true);
        expect(location.uri).toBe(pathToFileURL(location.path).href);
        return readFileSync(location.path, 'utf8');
      },
    } satisfies SinkUnderTest;
  });
});
