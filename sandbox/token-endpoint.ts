import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFields, sendJson } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import { exchangeAuthorizationCode } from './token-exchange';

const SYMFONY_ERROR_PAGE = `<!DOCTYPE html>
<html>
<head><meta charset="UTF-8"><title>An Error Occurred: Internal Server Error</title></head>
<body>
<h1>Oops! An Error Occurred</h1>
<h2>The server returned a "500 Internal Server Error".</h2>
<p>Something is broken. Please let us know what you were doing when this error occurred.</p>
</body>
</html>
`;

/** POST /connect/apps/v1/oauth2/token, with the test fault applied before anything else. */
export async function handleTokenRequest(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const fields = await readFields(request);
  const clientId = fields.get('client_id') ?? '';
  const { controls } = context;
  const fault = controls.tokenEndpointFault;

  if (fault?.kind === 'hang') {
    controls.tokenRequests.push({ clientId, status: 0 });
    return;
  }
  if (fault?.kind === 'server-error') {
    controls.tokenRequests.push({ clientId, status: 500 });
    response.writeHead(500, { 'content-type': 'text/html; charset=UTF-8' });
    response.end(SYMFONY_ERROR_PAGE);
    return;
  }
  if (fault?.kind === 'malformed-json') {
    controls.tokenRequests.push({ clientId, status: 200 });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"access_token":"');
    return;
  }

  // The exchange happens now (a consumed code stays consumed); only the answer is delayed.
  const outcome = exchangeAuthorizationCode(context, fields);
  const error = outcome.status === 200 ? undefined : outcome.body.error;
  controls.tokenRequests.push(
    error === undefined ? { clientId, status: outcome.status } : { clientId, status: outcome.status, error },
  );
  if (fault?.kind !== 'delay') {
    sendJson(response, outcome.status, outcome.body);
    return;
  }
  const timer = setTimeout(() => {
    controls.pendingTimers.delete(timer);
    if (!response.destroyed) sendJson(response, outcome.status, outcome.body);
  }, fault.ms);
  controls.pendingTimers.add(timer);
}
