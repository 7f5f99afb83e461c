const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; color: #11324d; background: #f7f9fb; }
header { background: #5e3bb3; color: #fff; padding: 12px 24px; display: flex; gap: 24px; align-items: center; }
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
button.danger { background: #d4604f; }
.error { border-left: 4px solid #d4604f; background: #fff; padding: 12px 16px; }
code { background: #eef1f4; padding: 2px 4px; word-break: break-all; }
`;

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The one shared layout: a header with the PIM navigation and the page content. */
export function renderPage(title: string, content: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} | Sandbox Akeneo PIM</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<strong>Sandbox Akeneo PIM</strong>
<nav><a href="/connect/app-store">App Store</a> · <a href="/connect/connected-apps">Connected apps</a></nav>
</header>
<main>
<h1>${escapeHtml(title)}</h1>
${content}
</main>
</body>
</html>
`;
}

/** A PIM-side error: the user stays in the PIM, the app is never told. */
export function renderErrorPage(title: string, message: string): string {
  return renderPage(
    title,
    `<p class="error" data-testid="pim-error">${escapeHtml(message)}</p>
<p><a class="button secondary" href="/connect/app-store">Back to the App Store</a></p>`,
  );
}
