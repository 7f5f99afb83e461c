import type { IncomingMessage, ServerResponse } from 'node:http';
import { registerApp, toSandboxApp } from './app-registry';
import {
  type CustomAppField,
  type CustomAppForm,
  type CustomAppViolation,
  validateCustomApp,
} from './custom-app-validation';
import { copyableValue, escapeHtml, renderErrorPage, renderPage } from './html';
import { readFields, redirect, sendHtml } from './http-helpers';
import type { SandboxContext } from './sandbox-context';
import type { SandboxApp } from './types';

export const CREATE_CUSTOM_APP_PATH = '/connect/app-store/custom-apps/create';
export const CUSTOM_APP_CREDENTIALS_ROUTE = /^\/connect\/app-store\/custom-apps\/([^/]+)\/credentials$/;

function credentialsPath(clientId: string): string {
  return `/connect/app-store/custom-apps/${encodeURIComponent(clientId)}/credentials`;
}

interface FieldSpec {
  field: CustomAppField;
  /** Form field name. */
  name: string;
  /** Element id and data-testid. */
  id: string;
  label: string;
  type: 'text' | 'url';
  hint: string;
}

const FIELDS: readonly FieldSpec[] = [
  { field: 'name', name: 'name', id: 'app-name', label: 'Name', type: 'text', hint: '3 to 255 characters.' },
  {
    field: 'activateUrl',
    name: 'activate_url',
    id: 'activate-url',
    label: 'Activate URL',
    type: 'url',
    hint: 'Where the PIM sends the user (with pim_url) on Connect and Open app.',
  },
  {
    field: 'callbackUrl',
    name: 'callback_url',
    id: 'callback-url',
    label: 'Callback URL',
    type: 'url',
    hint: 'Where the PIM sends the authorization code.',
  },
];

/** Custom apps and their secrets are for roles with *Create and delete custom apps*, as in Akeneo. */
export function forbidden(context: SandboxContext, response: ServerResponse): void {
  sendHtml(
    response,
    403,
    renderErrorPage(
      context.brand,
      'Access forbidden',
      'Your role does not have the "Create and delete custom apps" permission (System → Roles → Permissions → Connect).',
    ),
  );
}

function renderField(spec: FieldSpec, value: string, violation: CustomAppViolation | undefined): string {
  const errorId = `${spec.id}-error`;
  const described = violation ? `${errorId} ${spec.id}-hint` : `${spec.id}-hint`;
  const error = violation
    ? `\n<p class="field-error" id="${errorId}" data-testid="${errorId}" data-message-key="${escapeHtml(violation.key)}">${escapeHtml(violation.message)}</p>`
    : '';
  return `<div class="field">
<label for="${spec.id}">${spec.label}</label>
<input id="${spec.id}" name="${spec.name}" type="${spec.type}" value="${escapeHtml(value)}" data-testid="${spec.id}" aria-describedby="${described}"${violation ? ' aria-invalid="true"' : ''}>
<small id="${spec.id}-hint">${escapeHtml(spec.hint)}</small>${error}
</div>`;
}

function renderForm(context: SandboxContext, form: CustomAppForm, violations: readonly CustomAppViolation[]): string {
  const general = violations.find((violation) => violation.field === undefined);
  const fields = FIELDS.map((spec) =>
    renderField(
      spec,
      form[spec.field],
      violations.find((violation) => violation.field === spec.field),
    ),
  ).join('\n');
  const content = `<p>Declare your app in this PIM: it gets a client id and a secret to configure in the app.</p>
${general ? `<p class="error" role="alert" data-testid="create-app-error" data-message-key="${escapeHtml(general.key)}">${escapeHtml(general.message)}</p>` : ''}
<form class="panel" method="post" action="${CREATE_CUSTOM_APP_PATH}" novalidate>
${fields}
<p class="actions"><button type="submit" data-testid="create-app-submit">Create</button>
<a class="button secondary" href="/connect/app-store">Cancel</a></p>
</form>`;
  return renderPage(context.brand, 'Create an App', content);
}

/** GET /connect/app-store/custom-apps/create */
export function showCreateCustomApp(context: SandboxContext, response: ServerResponse): void {
  if (!context.role.manageCustomApps) {
    forbidden(context, response);
    return;
  }
  sendHtml(response, 200, renderForm(context, { name: '', activateUrl: '', callbackUrl: '' }, []));
}

/** POST /connect/app-store/custom-apps/create: 422 with the form again, or 303 to the new app's credentials. */
export async function createCustomApp(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (!context.role.manageCustomApps) {
    forbidden(context, response);
    return;
  }
  const fields = await readFields(request);
  const form: CustomAppForm = {
    name: fields.get('name') ?? '',
    activateUrl: fields.get('activate_url') ?? '',
    callbackUrl: fields.get('callback_url') ?? '',
  };
  const violations = validateCustomApp(form, context.store.state.apps.length);
  if (violations.length > 0) {
    sendHtml(response, 422, renderForm(context, form, violations));
    return;
  }
  const app = registerApp(context.store, form);
  redirect(response, credentialsPath(app.clientId), 303);
}

/** GET /connect/app-store/custom-apps/{clientId}/credentials: reloadable, it creates nothing. */
export function showCustomAppCredentials(context: SandboxContext, response: ServerResponse, clientId: string): void {
  if (!context.role.manageCustomApps) {
    forbidden(context, response);
    return;
  }
  const app = context.store.findApp(clientId);
  if (!app) {
    sendHtml(response, 404, renderErrorPage(context.brand, 'App not found', 'This app does not exist in this PIM.'));
    return;
  }
  sendHtml(response, 200, renderCredentialsPage(context, toSandboxApp(app)));
}

function renderCredentialsPage(context: SandboxContext, app: SandboxApp): string {
  const command = `npm run pim -- add ${context.baseUrl} --client-id ${app.clientId} --client-secret-stdin`;
  const content = `<p class="notice" role="status">The app <strong data-testid="created-app-name">${escapeHtml(app.name)}</strong> has been created.
Copy its credentials and register them with the app.</p>
<h2>Credentials</h2>
<p>Client ID</p>
${copyableValue('client-id', app.clientId, 'client ID')}
<p>Client secret</p>
${copyableValue('client-secret', app.clientSecret, 'client secret')}
<h2>Register them with the app</h2>
<p>Run this in the app's directory. The secret is read from standard input: paste it at the hidden prompt, or pipe
it in. It never goes on the command line.</p>
${copyableValue('register-command', command, 'command')}
<p>Then click <strong>Connect</strong> on the app in the App Store.</p>
<p><a class="button" href="/connect/app-store" data-testid="done">Done</a></p>`;
  return renderPage(context.brand, 'App credentials', content, { copyButtons: true });
}

/** After Regenerate: the new secret, and the command that gives it to the app. */
export function renderRegeneratedSecretPage(context: SandboxContext, app: SandboxApp, secret: string): string {
  const command = `npm run pim -- rotate ${context.baseUrl} --client-id ${app.clientId} --client-secret-stdin`;
  const content = `<p class="notice" role="status">The secret of <strong>${escapeHtml(app.name)}</strong> has been regenerated.
Copy it and give it to the app. Existing access tokens keep working.</p>
<p>Client ID: <code>${escapeHtml(app.clientId)}</code></p>
<p>Client secret</p>
${copyableValue('client-secret', secret, 'client secret')}
<h2>Give the new secret to the app</h2>
<p>Run this in the app's directory. The secret is read from standard input: paste it at the hidden prompt, or pipe
it in.</p>
${copyableValue('rotate-command', command, 'command')}
<p><a class="button secondary" href="/connect/connected-apps" data-testid="done">Back to connected apps</a></p>`;
  return renderPage(context.brand, 'New client secret', content, { copyButtons: true });
}
