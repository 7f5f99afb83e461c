import { type BrowserErrorCode, type ErrorCode, isBrowserErrorCode } from '../core/errors';
import { html, type SafeHtml } from './pages/html';

export interface ErrorDescription {
  readonly status: number;
  readonly title: string;
  readonly explanation: SafeHtml;
  readonly nextStep: SafeHtml;
}

const START_AGAIN = html`Go back to the PIM and click <strong>Connect</strong> (or <strong>Open app</strong>) again.`;

/** A page's text; no explanation means the error's own message (only our messages for bad PIM URLs). */
type PageText = Omit<ErrorDescription, 'explanation'> & { explanation: SafeHtml | null };

/**
 * Every code the connection flow can end with, as the person in front of the browser should read it: a browser code
 * without a page, or a page for another code, does not compile.
 */
const PAGES: Record<BrowserErrorCode, PageText> = {
  invalid_pim_url: {
    status: 400,
    title: 'This link does not name a valid PIM',
    explanation: null,
    nextStep: html`Open the app from your PIM: <strong>Connect → App Store</strong>, then <strong>Connect</strong>.`,
  },
  pim_not_registered: {
    status: 403,
    title: 'This PIM is not registered with the app',
    explanation: html`The app only serves PIMs whose custom-app credentials were registered first, and this PIM's were not.`,
    nextStep: html`Ask the app's operator to register this PIM's client id and secret (<code>npm run pim -- add</code>), then click <strong>Connect</strong> again.`,
  },
  missing_parameter: {
    status: 400,
    title: 'This connection link is incomplete',
    explanation: html`The page was opened without the information the PIM adds to it.`,
    nextStep: START_AGAIN,
  },
  authorization_denied: {
    status: 400,
    title: 'The PIM did not authorize the app',
    explanation: html`The connection was cancelled or refused in the PIM.`,
    nextStep: START_AGAIN,
  },
  unknown_state: {
    status: 400,
    title: 'This connection link is not valid',
    explanation: html`It was not issued by this app, or it was altered.`,
    nextStep: START_AGAIN,
  },
  expired_state: {
    status: 400,
    title: 'This connection link has expired',
    explanation: html`A connection must be completed within 10 minutes of clicking <strong>Connect</strong>.`,
    nextStep: START_AGAIN,
  },
  state_already_used: {
    status: 400,
    title: 'This connection link was already used',
    explanation: html`Each link from the PIM works once, and this one did not complete a connection.`,
    nextStep: START_AGAIN,
  },
  browser_mismatch: {
    status: 400,
    title: 'This browser did not start the connection',
    explanation: html`The connection must end in the browser where it started, with cookies enabled. The cookie may have been cleared, or the link opened elsewhere.`,
    nextStep: html`In this browser, go back to the PIM and click <strong>Connect</strong> (or <strong>Open app</strong>) again.`,
  },
  pim_rejected_credentials: {
    status: 502,
    title: "The PIM rejected the app's credentials",
    explanation: html`The client id or secret registered for this PIM no longer matches the PIM's, usually because someone pressed <strong>Regenerate</strong> in the PIM.`,
    nextStep: html`Ask the app's operator to register the new credentials from the PIM (<code>npm run pim -- rotate</code>), then click <strong>Connect</strong> again.`,
  },
  code_expired: {
    status: 400,
    title: 'The authorization expired',
    explanation: html`The PIM's authorization is valid for 30 seconds, and it ran out before the app could use it.`,
    nextStep: START_AGAIN,
  },
  code_invalid: {
    status: 400,
    title: 'The authorization is no longer valid',
    explanation: html`The PIM no longer accepts this authorization; it may have been used already.`,
    nextStep: START_AGAIN,
  },
  pim_unavailable: {
    status: 502,
    title: 'The PIM could not be reached',
    explanation: html`The PIM did not answer in time, or answered with an error.`,
    nextStep: html`Wait a moment, then go back to the PIM and click <strong>Connect</strong> again.`,
  },
  unexpected_pim_answer: {
    status: 502,
    title: 'The PIM gave an unexpected answer',
    explanation: html`The PIM's answer was not what an Akeneo PIM sends.`,
    nextStep: html`Try again from the PIM. If it happens again, give the error id to the app's operator.`,
  },
  invalid_id_token: {
    status: 502,
    title: "The PIM's identity token could not be verified",
    explanation: html`The PIM said who connected, but its signed statement did not check out, so the connection was not saved.`,
    nextStep: html`Try again from the PIM. If it happens again, give the error id to the app's operator.`,
  },
  malformed_credentials: {
    status: 500,
    title: "The app's credentials for this PIM are misconfigured",
    explanation: html`The client id and secret registered for this PIM are not in the form the app reads.`,
    nextStep: html`Ask the app's operator to register this PIM's credentials again (<code>npm run pim -- rotate</code>), then click <strong>Connect</strong> again.`,
  },
  unexpected: {
    status: 500,
    title: 'Something went wrong',
    explanation: html`The connection could not be completed because of a problem on the app's side. Nothing was saved.`,
    nextStep: html`Try again in a moment. If it happens again, give the error id to the app's operator.`,
  },
};

/** The page of an error; a code no browser should meet (a sync's, say) gets the `unexpected` page. */
export function describeError(error: { readonly code: ErrorCode; readonly message: string }): ErrorDescription {
  const description = PAGES[isBrowserErrorCode(error.code) ? error.code : 'unexpected'];
  // Only our own messages for bad PIM URLs are shown; every other message stays in the log.
  return { ...description, explanation: description.explanation ?? html`${error.message}.` };
}
