import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, renderPage } from './html';
import { readFields, redirect, sendHtml } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import type { ApiFault } from './types';
import { addProductsAsUser, deleteProductsAsUser, touchProductsAsUser } from './user-product-changes';

export const CONTROLS_PATH = '/sandbox/controls';

/** Product changes made here are the PIM user's: they are events for the Event Platform's subscriptions. */
function eventPlatformNote(context: SandboxContext): string {
  if (!context.eventPlatform.enabled) return '';
  const active = context.eventPlatform.activeSubscriptionCount();
  return `<p>Each product change below is made by the PIM user, and is an event for the Event Platform's
<strong data-testid="active-subscriptions">${active}</strong> active subscription(s) (see Connected apps).</p>`;
}

/**
 * What the tests do through the SandboxPim API, for a person trying `npm run sync` by hand: make products change,
 * appear or disappear, slow the API down, or make its next answers fail.
 */
export function showControls(context: SandboxContext, response: ServerResponse, url: URL): void {
  const done = url.searchParams.get('done');
  const api = context.controls.api;
  const content = `${done ? `<p class="notice" role="status" data-testid="flash">${escapeHtml(done)}</p>` : ''}
<p>Changes for trying the app's scheduled sync (<code>npm run sync</code>) by hand. The catalog has
<strong data-testid="product-count">${context.products.size}</strong> products; the REST API answers after
<strong>${api.latencyMs}</strong> ms, with <strong>${api.faults.length}</strong> fault(s) queued.</p>
${eventPlatformNote(context)}
<form method="post" action="${CONTROLS_PATH}">
<h2>Products</h2>
<p><label for="count">How many</label> <input id="count" name="count" type="number" min="1" max="100000" value="10"></p>
<p><button type="submit" name="action" value="touch" data-testid="touch-products">Update products now</button>
<button type="submit" name="action" value="add" class="secondary" data-testid="add-products">Add new products</button>
<button type="submit" name="action" value="delete" class="secondary" data-testid="delete-products">Delete products</button></p>
<h2>REST API</h2>
<p><label for="latency">Latency (ms)</label> <input id="latency" name="latency" type="number" min="0" max="10000" value="${api.latencyMs}">
<button type="submit" name="action" value="latency" class="secondary" data-testid="set-latency">Set</button></p>
<p>Make the next answer fail:
<button type="submit" name="action" value="429-retry-after" class="secondary">429 with Retry-After: 2</button>
<button type="submit" name="action" value="429" class="secondary">429 without Retry-After</button>
<button type="submit" name="action" value="500" class="secondary">500</button></p>
<p><button type="submit" name="action" value="clear" class="secondary">Clear faults</button></p>
</form>
<p>To revoke the app's token, use <a href="/connect/connected-apps">Connected apps</a> → Disconnect.</p>`;
  sendHtml(response, 200, renderPage(context.brand, 'Sandbox controls', content));
}

const FAULTS: Record<string, ApiFault> = {
  '429-retry-after': { kind: 'rate-limit', retryAfterSeconds: 2 },
  '429': { kind: 'rate-limit' },
  '500': { kind: 'server-error' },
};

export async function applyControl(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const fields = await readFields(request);
  const action = fields.get('action') ?? '';
  const count = Math.min(Math.max(Number.parseInt(fields.get('count') ?? '0', 10) || 0, 0), 100_000);
  let done: string;
  if (action === 'touch' && count > 0) {
    done = `${touchProductsAsUser(context, count).length} products updated.`;
  } else if (action === 'add' && count > 0) {
    done = `${addProductsAsUser(context, count).length} products added.`;
  } else if (action === 'delete' && count > 0) {
    done = `${deleteProductsAsUser(context, count).length} products deleted.`;
  } else if (action === 'latency') {
    context.controls.api.latencyMs = Math.min(
      Math.max(Number.parseInt(fields.get('latency') ?? '0', 10) || 0, 0),
      10_000,
    );
    done = `The REST API now answers after ${context.controls.api.latencyMs} ms.`;
  } else if (action in FAULTS) {
    context.controls.api.faults.push({ ...FAULTS[action] });
    done = 'The next REST API answer will fail.';
  } else if (action === 'clear') {
    context.controls.api.faults.length = 0;
    done = 'No fault queued.';
  } else {
    done = 'Nothing changed.';
  }
  redirect(response, `${CONTROLS_PATH}?done=${encodeURIComponent(done)}`);
}
