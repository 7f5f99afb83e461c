import { html, type SafeHtml } from './html';
import { layout } from './layout';

export interface ProblemPageInput {
  readonly title: string;
  readonly explanation: SafeHtml;
  readonly nextStep: SafeHtml;
  /** The PIM concerned, when known: the page links back to its connected apps. */
  readonly pimUrl?: string;
  /** The label above the title; a failed connection by default. */
  readonly badge?: string;
}

export interface ErrorPageInput extends ProblemPageInput {
  readonly errorId: string;
}

/** A failure of the flow: its error id matches a log line, for the operator. */
export function errorPage(input: ErrorPageInput): string {
  return problemPage(
    input,
    html`<p class="support">Error id: <code>${input.errorId}</code>. Give it to the app's operator if you ask for help.</p>`,
  );
}

/** A request the app could not route or read: nothing was logged, so there is no error id to hand over. */
export function requestProblemPage(input: ProblemPageInput): string {
  return problemPage(input, html``);
}

function problemPage(input: ProblemPageInput, support: SafeHtml): string {
  return layout({
    title: input.title,
    body: html`
<p class="status bad">${input.badge ?? 'Not connected'}</p>
<h1>${input.title}</h1>
<p class="lead">${input.explanation}</p>
<h2>What to do next</h2>
<p>${input.nextStep}</p>
${input.pimUrl ? html`<p class="actions"><a class="button" href="${input.pimUrl}/connect/connected-apps">Back to the PIM</a></p>` : ''}
${support}
`,
  });
}
