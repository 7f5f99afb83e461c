import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html';

const STYLESHEET = `
:root{color-scheme:light;--ink:#1f2430;--muted:#4a5163;--line:#d9dce3;--accent:#5e2a8c;--ok:#1c6b3a;--bad:#a1262b;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:40rem;margin:2rem auto;padding:2rem;background:#fff;border:1px solid var(--line);border-radius:12px}
h1{font-size:1.5rem;margin:0 0 1rem}
h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
p,ul,dl{margin:.5rem 0}
.status{display:inline-block;font-weight:600;border-radius:999px;padding:.15rem .75rem;margin-bottom:1rem}
.status.ok{background:#e3f4e9;color:var(--ok)}
.status.bad{background:#fbe6e7;color:var(--bad)}
ul.scopes{padding-left:1.25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.95em;word-break:break-all}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{color:var(--muted)}
dd{margin:0}
a{color:var(--accent)}
a:focus,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.button{display:inline-block;margin-top:1.25rem;padding:.6rem 1.1rem;border-radius:8px;background:var(--accent);color:#fff;text-decoration:none;font-weight:600}
.muted{color:var(--muted);font-size:.9rem}
footer{max-width:40rem;margin:0 auto 2rem;padding:0 2rem;color:var(--muted);font-size:.85rem}
@media (max-width:30rem){main{margin:0;border:0;border-radius:0;padding:1.25rem}}
`;

/** The CSP hash of the only stylesheet: pages need no other source (no scripts, no images, no fonts). */
export const STYLESHEET_HASH = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

export interface LayoutInput {
  readonly title: string;
  readonly body: SafeHtml;
}

export function layout({ title, body }: LayoutInput): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new SafeHtml(STYLESHEET)}</style>
</head>
<body>
<main>
${body}
</main>
<footer>Akeneo custom app connector</footer>
</body>
</html>
`.value;
}
