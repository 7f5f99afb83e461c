import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, renderErrorPage, renderPage } from './html';
import { readFields, redirect, sendHtml } from './http-helpers';
import type { SandboxContext, SandboxRole } from './sandbox-context';

export const MANAGE_CUSTOM_APPS_FIELD = 'manage_custom_apps';

function permissionsPath(role: SandboxRole): string {
  return `/system/roles/${encodeURIComponent(role.code)}/permissions`;
}

/** The sandbox has one role, the logged-in user's; any other code is unknown. */
function findRole(context: SandboxContext, response: ServerResponse, code: string): SandboxRole | undefined {
  if (code === context.role.code) return context.role;
  sendHtml(
    response,
    404,
    renderErrorPage(context.brand, 'Role not found', `The role "${code}" does not exist in this PIM.`),
  );
  return undefined;
}

/** GET /system/roles */
export function showRoles(context: SandboxContext, response: ServerResponse): void {
  const { role, user } = context;
  const content = `<p>Roles of this PIM. ${escapeHtml(`${user.firstname} ${user.lastname}`)} has the role below.</p>
<ul class="items">
<li><span>${escapeHtml(role.label)}</span>
<a class="button secondary" href="${escapeHtml(permissionsPath(role))}" data-testid="role-${escapeHtml(role.code)}">Permissions</a></li>
</ul>`;
  sendHtml(response, 200, renderPage(context.brand, 'Roles', content));
}

/** GET /system/roles/{role}/permissions */
export function showRolePermissions(context: SandboxContext, response: ServerResponse, url: URL, code: string): void {
  const role = findRole(context, response, code);
  if (!role) return;
  const saved = url.searchParams.get('saved') === '1';
  const content = `<p><a href="/system/roles">Roles</a> › ${escapeHtml(role.label)} › Permissions</p>
${saved ? '<p class="notice" role="status" data-testid="flash">Role successfully updated.</p>' : ''}
<form method="post" action="${escapeHtml(permissionsPath(role))}">
<fieldset>
<legend>Connect</legend>
<label class="check">
<input type="checkbox" name="${MANAGE_CUSTOM_APPS_FIELD}" value="1"${role.manageCustomApps ? ' checked' : ''} data-testid="permission-manage-custom-apps">
Create and delete custom apps
</label>
</fieldset>
<p><button type="submit" data-testid="save-permissions">Save</button></p>
</form>`;
  sendHtml(response, 200, renderPage(context.brand, `${role.label} permissions`, content));
}

/** POST /system/roles/{role}/permissions: an unchecked box is absent from the form, so it revokes. */
export async function saveRolePermissions(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  code: string,
): Promise<void> {
  const role = findRole(context, response, code);
  if (!role) return;
  const fields = await readFields(request);
  role.manageCustomApps = fields.has(MANAGE_CUSTOM_APPS_FIELD);
  redirect(response, `${permissionsPath(role)}?saved=1`);
}
