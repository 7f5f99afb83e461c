import { requestProblemPage } from './error-page';
import { html } from './html';

const OPEN_FROM_PIM = html`Open the app from your PIM: <strong>Connect → App Store</strong> or <strong>Connect → Connected apps</strong>.`;

export function notFoundPage(): string {
  return requestProblemPage({
    badge: 'Page not found',
    title: 'Page not found',
    explanation: html`There is no page at this address.`,
    nextStep: OPEN_FROM_PIM,
  });
}

/** The request line or the headers were over the server's limit (431). */
export function requestTooLargePage(): string {
  return requestProblemPage({
    badge: 'Request refused',
    title: 'The request is too large',
    explanation: html`The address or the request headers were longer than the app accepts.`,
    nextStep: html`${OPEN_FROM_PIM} If it happens again, clear this site's cookies and try once more.`,
  });
}

/** The bytes received were not an HTTP request the server could read (400). */
export function unreadableRequestPage(): string {
  return requestProblemPage({
    badge: 'Request refused',
    title: 'The request could not be read',
    explanation: html`What reached the app was not a well-formed HTTP request.`,
    nextStep: OPEN_FROM_PIM,
  });
}
