/**
 * One Callback function instance, driven by the bench over IPC: it loads the synth bundle once, then handles the
 * callbacks the bench sends (the first is the cold one), or runs the naive callback, timing each call alone.
 */
import { loadConfig } from '../../functions/config';
import { type NaiveCallbackInput, naiveCallback } from './naive-callback';

export type CallbackChildRequest =
  | { readonly type: 'callback'; readonly event: unknown }
  | { readonly type: 'naive'; readonly input: NaiveCallbackInput }
  | { readonly type: 'exit' };

export interface CallbackChildReply {
  readonly ok: boolean;
  readonly ms: number;
  readonly detail: string;
}

type Handler = (event: unknown) => Promise<{ statusCode: number; body?: string }>;

const bundle = process.env.BENCH_BUNDLE ?? '';
const { handler } = require(bundle) as { handler: Handler };
let naive: ReturnType<typeof naiveCallback> | undefined;

process.on('message', (message: CallbackChildRequest) => {
  if (message.type === 'exit') process.exit(0);
  run(message).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({ ok: false, ms: Number.NaN, detail: String(error) } satisfies CallbackChildReply),
  );
});
process.send?.({ ok: true, ms: 0, detail: 'ready' } satisfies CallbackChildReply);

async function run(message: Exclude<CallbackChildRequest, { type: 'exit' }>): Promise<CallbackChildReply> {
  const started = performance.now();
  if (message.type === 'callback') {
    const result = await handler(message.event);
    const ms = performance.now() - started;
    const ok = result.statusCode === 200;
    return { ok, ms, detail: ok ? '' : `${result.statusCode} ${result.body?.slice(0, 300) ?? ''}` };
  }
  naive ??= naiveCallback(loadConfig(process.env));
  await naive(message.input);
  return { ok: true, ms: performance.now() - started, detail: '' };
}
