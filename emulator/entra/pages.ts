// Shared HTML for the emulator's Entra pages: layout with a per-response CSP nonce, the error page, form_post.
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../http/escape';
import { html, type EmuResponse } from '../http/types';

const STYLE = `
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
#lightbox{max-width:440px;margin:64px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.logo{font-weight:600;color:#737373;margin-bottom:16px}.logo span{color:#0067b8}
h1{font-size:24px;font-weight:600;margin:0 0 12px}
.sub{color:#505050;margin-bottom:16px}.error{color:#e81123;margin:8px 0}
ul.tiles{list-style:none;padding:0;margin:0 0 16px}ul.tiles button{width:100%;text-align:left;background:none;border:0;border-bottom:1px solid #ddd;padding:12px 4px;cursor:pointer}
ul.tiles button:hover{background:#f2f2f2}.upn{color:#505050;font-size:13px}
label{display:block;margin-top:12px;font-size:13px}input[type=email],input[type=password]{width:100%;box-sizing:border-box;border:0;border-bottom:1px solid #666;padding:6px 0;font-size:15px;margin-bottom:8px}
.buttons{display:flex;flex-direction:row-reverse;gap:8px;margin-top:20px}
.buttons input{min-width:108px;padding:6px 12px;border:0;font-size:15px;cursor:pointer}
#idSIButton9{background:#0067b8;color:#fff}#idBtn_Back{background:#ccc}
.perm{margin:6px 0}.small{font-size:12px;color:#505050;margin-top:24px;overflow-wrap:anywhere}
@media (max-width:480px){#lightbox{margin:0;padding:24px;box-shadow:none;min-height:100vh;box-sizing:border-box}}`;

/**
 * Renders a complete page; scripts must carry the returned nonce (CSP forbids any other script). Every page puts its
 * content in one `main` landmark and starts it with one `h1` (callers supply the h1).
 */
export function page(title: string, body: (nonce: string) => string, status = 200, extraCsp = ''): EmuResponse {
  const nonce = randomBytes(16).toString('base64');
  return html(
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body>` +
      `<main id="lightbox"><div class="logo" aria-hidden="true"><span>&#9632;</span> Microsoft <small>(local emulator)</small></div>${body(nonce)}</main></body></html>`,
    {
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src data:; form-action *; base-uri 'none'; frame-ancestors 'none'${extraCsp}`,
      'referrer-policy': 'no-referrer',
    },
  );
}

/** Entra's "Sorry, but we're having trouble signing you in" page: shown instead of redirecting to an unvetted URI. */
export function errorPage(code: number, message: string, correlationId: string, timestamp: string): EmuResponse {
  return page(
    'Sign in to your account',
    () =>
      `<h1>Sign in</h1><p class="sub">Sorry, but we're having trouble signing you in.</p>` +
      `<p class="error" id="errorMessage" data-error-code="${code}">AADSTS${code}: ${escapeHtml(message)}</p>` +
      `<div class="small">Correlation ID: ${escapeHtml(correlationId)}<br>Timestamp: ${escapeHtml(timestamp)}</div>`,
    400,
  );
}

/** response_mode=form_post: an auto-submitting form to the (already validated) redirect URI. */
export function formPostPage(action: string, params: Record<string, string>): EmuResponse {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    'Working...',
    (nonce) =>
      `<h1>Working...</h1><form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}` +
      `<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form>` +
      `<script nonce="${nonce}">document.forms.hiddenform.submit();</script>`,
  );
}
