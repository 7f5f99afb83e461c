import { html } from './html';
import { APP_NAME, layout } from './layout';

/** What this service is. It names no PIM: which PIMs may connect is the operator's business. */
export function landingPage(): string {
  return layout({
    title: 'Connect your PIM',
    body: html`
<h1>Connect your Akeneo PIM</h1>
<p class="lead">${APP_NAME} connects Akeneo PIMs to an app, so the app can work with their product data.
Connections start from the PIM: there is nothing to do on this page.</p>
<h2>How to connect</h2>
<ol class="steps">
<li>In your Akeneo PIM, open <strong>Connect → App Store</strong>.</li>
<li>Click <strong>Connect</strong> on the app and review the permissions it asks for.</li>
<li>Click <strong>Confirm</strong>. You come back here, to a page that confirms the connection.</li>
</ol>
<h2>Already connected?</h2>
<p>Open the app from <strong>Connect → Connected apps</strong> with <strong>Open app</strong>.</p>
<p class="support">Only PIMs registered by the app's operator can connect. If your PIM is refused, contact them.</p>
`,
  });
}
