import type { ConnectedBy } from '../../core/connection';
import { liveUpdatesLabel } from '../../core/event-platform';
import type { ConnectionSummary } from '../../use-cases/complete-connect';
import type { CatalogView } from '../../use-cases/connect-catalog';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { scopeLabel } from './scope-labels';
import { syncSection } from './sync-section';

export interface ConnectedPageInput extends ConnectionSummary {
  /** A replayed callback: the connection was made earlier, nothing changed now. */
  readonly replayed: boolean;
}

export function connectedPage(input: ConnectedPageInput): string {
  return layout({
    title: `Connected to ${input.pimHost}`,
    body: html`
<p class="status ok">${input.replayed ? 'Already connected' : 'Connected'}</p>
<h1>Connected to ${input.pimHost}</h1>
<p class="lead">${input.replayed ? 'This PIM is already connected to the app. Nothing was changed.' : 'The app can now work with this PIM. You can close this tab or go back to the PIM.'}</p>
<dl class="facts">
<dt>PIM</dt><dd><a href="${input.pimUrl}">${input.pimUrl}</a></dd>
${input.connectedBy ? html`<dt>Connected by</dt><dd>${who(input.connectedBy)}</dd>` : ''}
${input.eventPlatform ? html`<dt>Live product updates</dt><dd class="live-updates">${liveUpdatesLabel(input.eventPlatform)}</dd>` : ''}
</dl>
${syncSection(input.sync, input)}
${input.catalog ? catalogSection(input.catalog) : ''}
<h2>Permissions granted</h2>
${input.grantedScopes.length > 0 ? scopeList(input.grantedScopes, 'scopes') : html`<p class="muted">None.</p>`}
${input.missingScopes.length > 0 ? missing(input.missingScopes) : ''}
<p class="actions"><a class="button" href="${input.pimUrl}/connect/connected-apps">Back to the PIM</a></p>
`,
  });
}

/** The catalog source: which products the app receives, and where a PIM user chooses them. */
function catalogSection(catalog: CatalogView): SafeHtml {
  if (catalog.kind === 'unfinished') {
    return html`<section class="notice" aria-labelledby="catalog">
<h2 id="catalog">Products this app receives</h2>
<p>The app's catalog is not set up in this PIM yet: ${catalog.reason}. The next sync tries again.</p>
</section>`;
  }
  const state = catalog.enabled ? 'enabled' : 'disabled';
  return html`<section aria-labelledby="catalog">
<h2 id="catalog">Products this app receives</h2>
<p class="catalog-status">The catalog <strong>${catalog.name}</strong> is <strong>${state}</strong>.</p>
${catalog.enabled ? '' : html`<p>The app receives no products until a PIM user chooses them and enables the catalog.</p>`}
${catalog.recreatedAt ? html`<p>Re-created on ${catalog.recreatedAt}: the previous catalog was deleted in the PIM.</p>` : ''}
<p class="actions"><a class="button" href="${catalog.settingsUrl}">Choose the products this app receives</a></p>
</section>`;
}

const IDENTITY_SCOPES = ['openid', 'profile', 'email'];

/** What the app may do in the PIM first, then what it learns about the person, as on the PIM's consent screen. */
function scopeList(scopes: readonly string[], className: string): SafeHtml {
  const identity = (scope: string) => IDENTITY_SCOPES.includes(scope);
  const ordered = [...scopes.filter((scope) => !identity(scope)), ...scopes.filter(identity)];
  return html`<ul class="${className}">${ordered.map((scope) => html`<li><span>${scopeLabel(scope)}</span> <code>${scope}</code></li>`)}</ul>`;
}

function missing(scopes: readonly string[]): SafeHtml {
  return html`<section class="notice" aria-labelledby="missing-scopes">
<h2 id="missing-scopes">Requested but not granted</h2>
<p>The PIM did not grant these permissions, so the features that need them will not work.</p>
${scopeList(scopes, 'scopes missing')}
</section>`;
}

function who({ name, email }: ConnectedBy): SafeHtml {
  if (!name && !email) return html`<span class="muted">A PIM user who did not share their name or email</span>`;
  return html`${name ?? ''}${name && email ? html`<br>` : ''}${email ? html`<span class="muted">${email}</span>` : ''}`;
}
