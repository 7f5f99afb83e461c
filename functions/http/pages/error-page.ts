import { html, type SafeHtml } from './html';
import { layout } from './layout';

export interface ErrorPageInput {
  readonly title: string;
  readonly explanation: SafeHtml;
  readonly nextStep: SafeHtml;
  readonly errorId: string;
  /** The PIM concerned, when known: the page links back to its connected apps. */
  readonly pimUrl?: string;
  /** The label above the title; a failed connection by default. */
  readonly badge?: string;
}

export function errorPage(input: ErrorPageInput): string {
  return layout({
    title: input.title,
    body: html`
<p class="status bad">${input.badge ?? 'Not connected'}</p>
<h1>${input.title}</h1>
<p class="lead">${input.explanation}</p>
<h2>What to do next</h2>
<p>${input.nextStep}</p>
${input.pimUrl ? html`<p class="actions"><a class="button" href="${input.pimUrl}/connect/connected-apps">Back to the PIM</a></p>` : ''}
<p class="support">Error id: <code>${input.errorId}</code>. Give it to the app's operator if you ask for help.</p>
`,
  });
}
