import type { PimBrand } from './sandbox-context';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; color: #11324d; background: #f7f9fb; }
header { background: var(--pim-accent); color: #fff; padding: 12px 24px; display: flex; gap: 24px; align-items: center; }
header a { color: #fff; text-decoration: none; }
main { max-width: 760px; margin: 24px auto; padding: 0 24px; }
ul.items { list-style: none; padding: 0; }
ul.items li { background: #fff; border: 1px solid #d9dde2; border-radius: 4px; padding: 12px 16px; margin-bottom: 8px;
  display: flex; justify-content: space-between; align-items: center; gap: 12px; }
.actions { display: flex; gap: 8px; align-items: center; }
.actions form { margin: 0; }
a.button, button { background: #5e3bb3; color: #fff; border: 0; border-radius: 16px; padding: 6px 16px; font: inherit;
  text-decoration: none; cursor: pointer; }
a.secondary, button.secondary { background: #fff; color: #5e3bb3; border: 1px solid #5e3bb3; }
a.danger, button.danger { background: #b3261e; }
.error { border-left: 4px solid #d4604f; background: #fff; padding: 12px 16px; }
code { background: #eef1f4; padding: 2px 4px; word-break: break-all; }
pre { background: #eef1f4; padding: 8px 12px; white-space: pre-wrap; word-break: break-all; }
pre code { padding: 0; }
.toolbar { display: flex; justify-content: space-between; align-items: center; }
form.panel, fieldset { background: #fff; border: 1px solid #d9dde2; border-radius: 4px; padding: 16px; }
.field { margin-bottom: 16px; }
.field label { display: block; font-weight: 600; margin-bottom: 4px; }
.field input { width: 100%; box-sizing: border-box; padding: 6px 8px; font: inherit; border: 1px solid #a1a9b7;
  border-radius: 2px; }
.field input[aria-invalid="true"] { border-color: #d4604f; }
.field-error { color: #d4604f; margin: 4px 0 0; }
label.check { display: flex; gap: 8px; align-items: center; }
.notice { border-left: 4px solid #5e3bb3; background: #fff; padding: 12px 16px; }
.secret { display: flex; gap: 8px; align-items: center; margin: 4px 0 12px; }
.secret code { user-select: all; }
`;

/** Copy buttons: `data-copy` names the element whose text is copied; the text stays selectable without script. */
const COPY_SCRIPT = `<script>
for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    try { await navigator.clipboard.writeText(text); button.textContent = 'Copied'; }
    catch { getSelection().selectAllChildren(document.getElementById(button.dataset.copy)); }
  });
}
</script>`;

/** A value shown once, with its copy button. */
export function copyableValue(id: string, value: string, label: string): string {
  const escapedId = escapeHtml(id);
  return `<div class="secret"><code id="${escapedId}" data-testid="${escapedId}">${escapeHtml(value)}</code>
<button type="button" class="secondary" data-copy="${escapedId}" data-testid="copy-${escapedId}" aria-label="Copy ${escapeHtml(label)}">Copy</button></div>`;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The one shared layout: a header with this PIM's name and colour, its navigation, and the page content. */
export function renderPage(
  brand: PimBrand,
  title: string,
  content: string,
  options: { copyButtons?: boolean } = {},
): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} | ${escapeHtml(brand.name)}</title>
<style>:root { --pim-accent: ${brand.accent}; }${STYLE}</style>
</head>
<body>
<header>
<strong data-testid="pim-name">${escapeHtml(brand.name)}</strong>
<nav><a href="/connect/app-store">App Store</a> · <a href="/connect/connected-apps">Connected apps</a> · <a href="/system/roles">Roles</a> · <a href="/sandbox/controls">Sandbox controls</a></nav>
</header>
<main>
<h1>${escapeHtml(title)}</h1>
${content}
</main>
${options.copyButtons ? COPY_SCRIPT : ''}
</body>
</html>
`;
}

/** A PIM-side error: the user stays in the PIM, the app is never told. */
export function renderErrorPage(brand: PimBrand, title: string, message: string): string {
  return renderPage(
    brand,
    title,
    `<p class="error" data-testid="pim-error">${escapeHtml(message)}</p>
<p><a class="button secondary" href="/connect/app-store">Back to the App Store</a></p>`,
  );
}
