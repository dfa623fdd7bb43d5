const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The page a failed single sign-on lands on. Served by the BFF itself, not the SPA: the browser
 * arrives here from the provider by a plain navigation, and the page must work with the
 * dashboard off too. Everything shown is escaped (it quotes what the provider said).
 */
export function oidcErrorPage(provider: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in failed · Kiln</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f8fafc; color: #0f172a;
         font: 14px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", sans-serif; }
  main { width: min(440px, 90vw); background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 28px 32px;
         box-shadow: 0 1px 3px rgb(15 23 42 / 0.06); }
  h1 { font-size: 18px; margin: 0 0 4px; }
  .who { color: #64748b; margin: 0 0 16px; }
  .message { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; border-radius: 6px; padding: 10px 12px; margin: 0 0 20px; }
  a { display: inline-block; background: #0f172a; color: #fff; text-decoration: none; border-radius: 6px; padding: 7px 14px; }
</style>
</head>
<body>
<main>
  <h1>Sign-in failed</h1>
  <p class="who">Kiln · sign in with ${escape(provider)}</p>
  <p class="message" role="alert">${escape(message)}</p>
  <a href="/sign-in">Back to sign in</a>
</main>
</body>
</html>
`;
}
