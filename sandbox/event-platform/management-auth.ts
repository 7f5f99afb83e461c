import type { IncomingMessage } from 'node:http';
import type { SandboxStore } from '../sandbox-state';
import { samePimUrl } from './management-validation';

export type ManagementCaller =
  | { ok: true; clientId: string }
  | { ok: false; status: 401 | 403; body: { code: number; message: string } };

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function refused(status: 401 | 403, message: string): ManagementCaller {
  return { ok: false, status, body: { code: status, message } };
}

/**
 * Who calls the management API, as Akeneo's platform checks it (authentication-and-authorization.md): X-PIM-URL
 * names this PIM, X-PIM-TOKEN is a live access token of the app X-PIM-CLIENT-ID, and a PIM user ticked the app's
 * Event Platform permission. Messages are the sandbox's own (the platform's are not documented); none repeats a token.
 */
export function identifyCaller(
  request: IncomingMessage,
  store: SandboxStore,
  pimUrl: string,
  hasPermission: (clientId: string) => boolean,
): ManagementCaller {
  const url = header(request, 'x-pim-url');
  const token = header(request, 'x-pim-token');
  const clientId = header(request, 'x-pim-client-id');
  if (url === undefined || token === undefined || clientId === undefined) {
    return refused(401, 'The X-PIM-URL, X-PIM-TOKEN and X-PIM-CLIENT-ID headers are all required.');
  }
  if (!samePimUrl(url, pimUrl)) return refused(401, 'X-PIM-URL does not name a PIM where this token is valid.');
  const live = store.state.tokens.some((stored) => stored.token === token && stored.clientId === clientId);
  if (!live) {
    return refused(
      401,
      'X-PIM-TOKEN is not a valid access token of X-PIM-CLIENT-ID on this PIM (expired, replaced, or the app was disconnected).',
    );
  }
  if (!hasPermission(clientId)) {
    return refused(
      403,
      "The app does not have the Event Platform permission on this PIM: a PIM user must tick it in the app's connection settings (Connect → Connected apps).",
    );
  }
  return { ok: true, clientId };
}
