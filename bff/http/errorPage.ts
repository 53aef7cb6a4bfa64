// A small, self-contained HTML error page (no scripts, escaped text) for browser navigations.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const TITLES: Record<number, string> = {
  400: 'We could not complete that request',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Page not found',
  429: 'Too many requests',
  503: 'Temporarily unavailable',
};

export function renderErrorPage(input: {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
}): string {
  const title = TITLES[input.status] ?? (input.status >= 500 ? 'Something went wrong' : 'Request failed');
  const detail =
    typeof input.details.idpDescription === 'string'
      ? `<pre class="detail">${escapeHtml(input.details.idpDescription)}</pre>`
      : '';
  // Only same-origin paths: the retry target is ours (e.g. the sign-in that failed because the IdP was down).
  const retry =
    typeof input.details.retryUrl === 'string' && /^\/(?![/\\])/.test(input.details.retryUrl)
      ? input.details.retryUrl
      : null;
  const links = [
    ...(retry ? [`<a href="${escapeHtml(retry)}" data-testid="error-retry">Retry</a>`] : []),
    '<a href="/">Back to the app</a>',
    ...(input.details.signedOut === true ? [] : ['<a href="/auth/signin">Sign in again</a>']),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}code,pre{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}pre{white-space:pre-wrap;padding:.75rem}
a{color:#0b5cad}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
<p data-testid="error-message">${escapeHtml(input.message)}</p>${detail}
<p><small>Error code: <code>${escapeHtml(input.code)}</code> (HTTP ${input.status})</small></p>
<p>${links.join(' · ')}</p></main></body></html>`;
}
