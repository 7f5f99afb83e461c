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

function subscriptionItems(context: SandboxContext, clientId: string): string {
  const items = context.eventPlatform.subscriptionViews(clientId).map((subscription) => {
    const reason = subscription.statusReason ? ` (${escapeHtml(subscription.statusReason)})` : '';
    return `<li data-testid="event-subscription-${escapeHtml(subscription.id)}">${escapeHtml(subscription.url)}:
${escapeHtml(subscription.events.join(', '))} <strong>${escapeHtml(subscription.status)}</strong>${reason}</li>`;
  });
  return items.length === 0
    ? '<br><small>No event subscription.</small>'
    : `<br><small>Event subscriptions:</small><ul>\n${items.join('\n')}\n</ul>`;
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
Event Platform: the app may subscribe to this PIM's events</label>
<button type="submit" class="secondary" data-testid="save-event-platform-${id}">Save</button>
</form>${subscriptionItems(context, clientId)}`;
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
