import { html } from './html';
import { layout } from './layout';

export function landingPage(): string {
  return layout({
    title: 'Akeneo custom app',
    body: html`
<h1>Akeneo custom app</h1>
<p>This service connects Akeneo PIMs to an app. There is nothing to do here directly.</p>
<p>To connect a PIM, open it, go to <strong>Connect → App Store</strong>, and click <strong>Connect</strong> on the app
(or <strong>Open app</strong> under <strong>Connect → Connected apps</strong> if it is already connected).</p>
`,
  });
}
