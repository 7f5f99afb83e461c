import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html';

export const APP_NAME = 'Akeneo custom app';

// Every text/background pair below has a contrast of at least 4.5:1 (WCAG AA); the lowest is --ok on --ok-bg, 5.7.
const STYLESHEET = `
:root{color-scheme:light;--ink:#1d2330;--muted:#4d5566;--line:#dde0e7;--bg:#f3f4f7;--accent:#5b2e91;--accent-dark:#47227a;--ok:#176b3a;--ok-bg:#e3f3e9;--bad:#a32121;--bad-bg:#fbe8e8;--warn:#6f4700;--warn-bg:#fff4da}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
.wrap{max-width:42rem;margin:0 auto;padding:0 1.25rem}
.top{background:var(--accent);color:#fff}
.top .wrap{display:flex;align-items:center;gap:.6rem;min-height:3.25rem;font-weight:600;letter-spacing:.01em}
.mark{display:inline-block;width:1.35rem;height:1.35rem;border:3px solid #fff;border-radius:.4rem;position:relative}
.mark::after{content:"";position:absolute;inset:.2rem;border-radius:50%;background:#fff}
main.card{max-width:42rem;margin:2rem auto;padding:2rem 2.25rem;background:#fff;border:1px solid var(--line);border-radius:14px;box-shadow:0 1px 2px rgba(20,24,40,.05),0 10px 30px rgba(20,24,40,.06)}
h1{font-size:1.625rem;line-height:1.25;margin:0 0 .75rem;overflow-wrap:anywhere}
h2{font-size:1.0625rem;line-height:1.35;margin:1.75rem 0 .5rem}
p,ul,ol,dl{margin:.5rem 0}
.lead{font-size:1.0625rem}
.status{display:inline-flex;align-items:center;gap:.45rem;margin:0 0 1rem;padding:.2rem .8rem .2rem .3rem;border-radius:999px;font-size:.9375rem;font-weight:600}
.status::before{display:inline-flex;align-items:center;justify-content:center;width:1.35rem;height:1.35rem;border-radius:50%;color:#fff;font-size:.8125rem;line-height:1}
.status.ok{background:var(--ok-bg);color:var(--ok)}
.status.ok::before{content:"\\2713";background:var(--ok)}
.status.bad{background:var(--bad-bg);color:var(--bad)}
.status.bad::before{content:"!";background:var(--bad)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1.25rem;margin:1.25rem 0;padding:1rem 1.25rem;background:var(--bg);border-radius:10px}
dt{color:var(--muted);font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
ul.scopes{list-style:none;padding:0;margin:.5rem 0;border:1px solid var(--line);border-radius:10px}
ul.scopes li{display:grid;grid-template-columns:1rem 1fr auto;gap:.1rem .75rem;align-items:baseline;padding:.6rem 1rem}
ul.scopes li+li{border-top:1px solid var(--line)}
ul.scopes li::before{content:"\\2713";color:var(--ok);font-weight:700}
ul.scopes.missing li::before{content:"\\2013";color:var(--warn)}
ul.scopes code{color:var(--muted)}
.notice{margin:1.5rem 0 0;padding:1rem 1.25rem;border-radius:10px;background:var(--warn-bg);color:var(--warn)}
.notice h2{margin-top:0}
.notice ul.scopes{background:#fff;color:var(--ink)}
ul.problems{list-style:none;padding:0;margin:.75rem 0}
ul.problems li{margin:.5rem 0;padding:.75rem 1rem;border-radius:10px;background:var(--warn-bg);color:var(--warn)}
ul.problems li p{margin:.25rem 0}
ol.steps{padding-left:1.4rem}
ol.steps li{margin:.35rem 0;padding-left:.25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875em;white-space:nowrap}
a{color:var(--accent);text-underline-offset:.15em}
a:hover{color:var(--accent-dark)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:3px;border-radius:3px}
.actions{margin-top:1.75rem}
.button{display:inline-block;padding:.7rem 1.25rem;min-height:2.75rem;border-radius:8px;background:var(--accent);color:#fff;text-decoration:none;font-weight:600}
.button:hover{background:var(--accent-dark);color:#fff}
.support{margin-top:1.75rem;padding-top:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9375rem}
.muted{color:var(--muted)}
footer{color:var(--muted);font-size:.875rem;text-align:center;padding-bottom:2rem}
@media (max-width:34rem){
main.card{margin:0 0 1.5rem;padding:1.5rem 1.25rem;border-width:0 0 1px;border-radius:0;box-shadow:none}
h1{font-size:1.4rem}
dl.facts{grid-template-columns:1fr;gap:0}
dl.facts dd+dt{margin-top:.6rem}
.button{display:block;text-align:center}
ul.scopes li{grid-template-columns:1rem 1fr}
ul.scopes li code{grid-column:2}
}
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
<meta name="robots" content="noindex">
<title>${title} · ${APP_NAME}</title>
<style>${new SafeHtml(STYLESHEET)}</style>
</head>
<body>
<header class="top"><div class="wrap"><span class="mark" aria-hidden="true"></span>${APP_NAME}</div></header>
<main class="card">
${body}
</main>
<footer class="wrap"><p>${APP_NAME} · This app never asks for your PIM password.</p></footer>
</body>
</html>
`.value;
}
