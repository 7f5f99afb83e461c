import type { IncomingMessage, ServerResponse } from 'node:http';
import { isConnected } from '../connections';
import { escapeHtml, renderErrorPage } from '../html';
import { readFields, redirect, sendHtml } from '../http-helpers';
import type { SandboxContext } from '../sandbox-context';

/** POST /connect/connected-apps/{clientId}/event-platform: the permission checkbox's form. */
export const EVENT_PLATFORM_PERMISSION_ROUTE = /^\/connect\/connected-apps\/([^/]+)\/event-platform$/;

function permissionPath(clientId: string): string {
  return `/connect/connected-apps/${encodeURIComponent(clientId)}/event-platform`;
}

/** A compact table: the list items of Connected apps are flex rows, which a nested list would inherit. */
function subscriptionTable(context: SandboxContext, clientId: string): string {
  const rows = context.eventPlatform.subscriptionViews(clientId).map((subscription) => {
    const events = subscription.events.map((type) => type.replace(/^com\.akeneo\.pim\.v1\./, '')).join(', ');
    const reason = subscription.statusReason ? `<br>${escapeHtml(subscription.statusReason)}` : '';
    return `<tr data-testid="event-subscription-${escapeHtml(subscription.id)}"><td><code>${escapeHtml(subscription.url)}</code></td>
<td>${escapeHtml(events)}</td><td><strong>${escapeHtml(subscription.status)}</strong>${reason}</td></tr>`;
  });
  if (rows.length === 0) return '<br><small>No event subscription.</small>';
  return `<table style="font-size: smaller; text-align: left"><caption style="text-align: left">Event subscriptions</caption>
${rows.join('\n')}
</table>`;
}

/**
 * The app's Event Platform permission in its connection settings (authentication-and-authorization.md), and its
 * subscriptions with their status. Empty on a PIM without the Event Platform.
 */
export function renderEventPlatformSection(context: SandboxContext, clientId: string): string {
  if (!context.eventPlatform.enabled) return '';
  const id = escapeHtml(clientId);
  const checked = context.eventPlatform.registry.hasPermission(clientId) ? ' checked' : '';
  return `<form method="post" action="${escapeHtml(permissionPath(clientId))}" class="actions">
<label class="check"><input type="checkbox" name="permission" value="on" data-testid="event-platform-permission-${id}"${checked}>
Event Platform (subscribe to events)</label>
<button type="submit" class="secondary" data-testid="save-event-platform-${id}">Save</button>
</form>${subscriptionTable(context, clientId)}`;
}

/** Saves the checkbox, then back to Connected apps (303, so a reload does not post again). */
export async function saveEventPlatformPermission(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  clientId: string,
): Promise<void> {
  const fields = await readFields(request);
  if (!context.eventPlatform.enabled || !isConnected(context.store, clientId)) {
    const message = context.eventPlatform.enabled
      ? 'This app is not connected to this PIM.'
      : 'This PIM has no Event Platform.';
    sendHtml(response, 404, renderErrorPage(context.brand, 'Not found', message));
    return;
  }
  context.eventPlatform.setPermission(clientId, fields.get('permission') === 'on');
  redirect(response, '/connect/connected-apps', 303);
}
