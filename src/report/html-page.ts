/** The shared HTML shell: doctype, a strict Content-Security-Policy (no scripts, no network), inline CSS. */
import { escapeHtml } from './escape.js';
import { REPORT_CSS } from './html-style.js';

/** Blocks every fetch and every script: the page is inert even if some text escaped escaping. */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Wraps body HTML into a complete, self-contained page. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mcp-chaos">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
