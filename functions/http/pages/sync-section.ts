import type { EventPlatformSubscription } from '../../contract/event-platform';
import type { HealthProblem, SyncHealth } from '../../core/sync-health';
import type { CatalogView } from '../../use-cases/connect-catalog';
import type { ConnectedSync } from '../../use-cases/connected-sync';
import { html, type SafeHtml } from './html';
import { scopeLabel } from './scope-labels';
import { inWords, timeAgo, utcText } from './times';

/** What a problem's words may point at: the catalog's page in the PIM when the callback knows it, the platform's state. */
export interface SyncSectionContext {
  readonly pimUrl: string;
  readonly catalog?: CatalogView;
  readonly eventPlatform?: EventPlatformSubscription;
}

/** The PIM's sync for its admin: the last success, the next run, and each problem in words with what to do. */
export function syncSection(sync: ConnectedSync, context: SyncSectionContext): SafeHtml {
  const { health } = sync;
  return html`<section aria-labelledby="sync">
<h2 id="sync">Sync</h2>
${health.lastSuccess ? lastSuccessFacts(sync, health.lastSuccess) : firstSyncLine(sync)}
${
  health.problems.length === 0
    ? html`<p class="sync-ok">No problem: the products reach the app on schedule.</p>`
    : html`<ul class="problems">${health.problems.map((problem) => problemItem(problem, health, sync, context))}</ul>`
}
</section>`;
}

function lastSuccessFacts(sync: ConnectedSync, lastSuccess: NonNullable<SyncHealth['lastSuccess']>): SafeHtml {
  return html`<dl class="facts sync-facts">
<dt>Last successful sync</dt><dd class="last-sync">${timeAgo(lastSuccess.at, sync.at)} (${timeElement(lastSuccess.at)})</dd>
<dt>Products in it</dt><dd class="products">${lastSuccess.products ?? 'not counted'}</dd>
<dt>Next scheduled run</dt><dd class="next-run">${nextRun(sync)}</dd>
</dl>`;
}

function firstSyncLine(sync: ConnectedSync): SafeHtml {
  return html`<p class="first-sync">No sync has run yet. The first sync is scheduled: it starts ${nextRun(sync)}.</p>`;
}

function nextRun(sync: ConnectedSync): SafeHtml {
  const seconds = Math.max(60, Math.round((Date.parse(sync.nextRunBy) - Date.parse(sync.at)) / 1000));
  return html`within ${inWords(seconds)}, by ${timeElement(sync.nextRunBy)}`;
}

function timeElement(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${utcText(iso)}</time>`;
}

function problemItem(
  problem: HealthProblem,
  health: SyncHealth,
  sync: ConnectedSync,
  context: SyncSectionContext,
): SafeHtml {
  const { what, next } = inAdminWords(problem, health, sync, context);
  return html`<li class="problem" data-problem="${problem.code}"><p><strong>${what}</strong></p><p>What to do: ${next}</p></li>`;
}

interface AdminWords {
  readonly what: SafeHtml | string;
  readonly next: SafeHtml | string;
}

/**
 * Each problem for the PIM's admin, who sees the PIM, not the app's logs or queues (those words are the health's own,
 * for `npm run pim -- status`).
 */
function inAdminWords(
  problem: HealthProblem,
  health: SyncHealth,
  sync: ConnectedSync,
  { pimUrl, catalog, eventPlatform }: SyncSectionContext,
): AdminWords {
  switch (problem.code) {
    case 'failing':
      return {
        what: `The last ${attempts(health.consecutiveFailures)} failed${failureText(health.lastFailure)}.`,
        next:
          'Nothing is lost: the next run starts where the last complete one ended. If the PIM was down or under ' +
          "maintenance, nothing; if it keeps failing, tell the app's operator.",
      };
    case 'stale':
      return {
        what: health.lastSuccess
          ? `No successful sync for ${inWords(secondsBetween(health.lastSuccess.at, sync.at))}: the products are behind the PIM.`
          : 'No successful sync since the PIM was connected.',
        next: html`The next scheduled run (by ${timeElement(sync.nextRunBy)}) catches up from where the last one ended; if it stays behind, tell the app's operator.`,
      };
    case 'catalog_disabled':
      return {
        what: "The app's catalog is disabled in the PIM, so the sync receives no products.",
        next:
          catalog?.kind === 'ready'
            ? html`A PIM user <a href="${catalog.settingsUrl}">opens the app's catalog in the PIM</a>, chooses its products and enables it; the next sync reads them.`
            : "A PIM user opens the app's catalog in the PIM (Connect → Connected apps, this app, Catalogs), chooses its products and enables it; the next sync reads them.",
      };
    case 'scopes_missing':
      return {
        what: html`The app asks for permissions this PIM has not granted: ${health.missingScopes.map(scopeLabel).join('; ')}. ${
          health.scopesNotifiedAt
            ? html`The PIM's admins were notified on ${timeElement(health.scopesNotifiedAt)}.`
            : "The PIM's admins have not been notified yet: the next sync tells the PIM."
        }`,
        next: html`Click <strong>Open app</strong> on this app in the PIM (<a href="${pimUrl}/connect/connected-apps">Connect → Connected apps</a>) and accept the new permissions.`,
      };
    case 'event_platform_unavailable':
      return {
        what: `Live product updates are not available${reasonText(eventPlatform?.reason)}.`,
        next:
          'The scheduled sync runs all the same. Where the PIM has the Event Platform (Enterprise SaaS, Growth ' +
          "Edition), tick the Event Platform permission in the app's connection settings (Connect → Connected apps), " +
          'then click Open app.',
      };
    case 'event_platform_suspended':
    case 'event_platform_revoked':
      return {
        what: `Live product updates are ${problem.code === 'event_platform_suspended' ? 'suspended' : 'removed'}${reasonText(eventPlatform?.reason)}; the scheduled sync runs all the same.`,
        next: 'Click Open app on this app in the PIM: it subscribes again.',
      };
    case 'revoked':
    case 'scope_missing':
    case 'pim_url_mismatch':
      // A connected page follows a successful connection, which made it active: the health's words, should it differ.
      return { what: problem.text, next: problem.next };
  }
}

function attempts(count: number): string {
  return count === 1 ? 'sync attempt' : `${count} sync attempts`;
}

/** The failure's code, and its message where it is the app's own: an unexpected error's message is for the logs. */
function failureText(failure: SyncHealth['lastFailure']): string {
  if (!failure) return '';
  if (failure.code === 'unexpected') return ` (${failure.code}: see the app's logs)`;
  return ` (${failure.code}: ${failure.message})`;
}

function reasonText(reason: string | undefined): string {
  return reason ? ` (${reason})` : '';
}

function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}
