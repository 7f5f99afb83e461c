import type { ConnectionSummary } from '../../use-cases/complete-connect';
import { html } from './html';
import { layout } from './layout';
import { scopeLabel } from './scope-labels';

export interface ConnectedPageInput extends ConnectionSummary {
  /** A replayed callback: the connection was made earlier, nothing changed now. */
  readonly replayed: boolean;
}

export function connectedPage(input: ConnectedPageInput): string {
  const scopeList = (scopes: readonly string[]) =>
    html`<ul class="scopes">${scopes.map((scope) => html`<li>${scopeLabel(scope)} <code>${scope}</code></li>`)}</ul>`;
  const who = input.connectedBy;
  return layout({
    title: `Connected to ${input.pimHost}`,
    body: html`
<span class="status ok">Connected</span>
<h1>Connected to ${input.pimHost}</h1>
<p>${input.replayed ? 'This PIM is already connected to the app. Nothing was changed.' : 'The app can now work with this PIM. You can close this tab.'}</p>
<dl>
<dt>PIM</dt><dd><a href="${input.pimUrl}">${input.pimUrl}</a></dd>
${who ? html`<dt>Connected by</dt><dd>${who.name ?? ''}${who.name && who.email ? ' · ' : ''}${who.email ?? ''}${!who.name && !who.email ? html`<span class="muted">a PIM user who did not share their name or email</span>` : ''}</dd>` : ''}
</dl>
<h2>Permissions granted</h2>
${input.grantedScopes.length > 0 ? scopeList(input.grantedScopes) : html`<p class="muted">None.</p>`}
${input.missingScopes.length > 0 ? html`<h2>Requested but not granted</h2><p>The PIM did not grant these; the features that need them will not work.</p>${scopeList(input.missingScopes)}` : ''}
<a class="button" href="${input.pimUrl}/connect/connected-apps">Back to the PIM</a>
`,
  });
}
