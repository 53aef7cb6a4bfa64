// Security headers on every response, and the strict nonce-based CSP for the SPA's HTML.
import type { Context, Next } from 'koa';

/** script-src by nonce + strict-dynamic (the bundle's lazy chunks inherit trust); connect-src only to us, the authority and Graph. */
export function contentSecurityPolicy(nonce: string, connectTo: string[]): string {
  const origins = [...new Set(connectTo.map((u) => new URL(u).origin))];
  return [
    `default-src 'self'`,
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self'`,
    `img-src 'self' data: blob:`,
    `connect-src 'self' ${origins.join(' ')}`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `frame-ancestors 'none'`,
    `form-action 'self' ${origins[0] ?? ''}`.trim(),
  ].join('; ');
}

/**
 * Powerful browser features the app never uses, denied to the page and every frame (an injected script cannot turn
 * on the camera). Only features Chromium, Firefox and Safari recognise: an unknown name is a console error.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'encrypted-media',
  'geolocation',
  'gyroscope',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'screen-wake-lock',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

export function createSecurityHeaders(options: { hsts: boolean }) {
  return async function securityHeaders(ctx: Context, next: Next): Promise<void> {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    // No other site may embed our responses as subresources (script, image, JSON read through a side channel).
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    ctx.set('Permissions-Policy', PERMISSIONS_POLICY);
    if (options.hsts) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
    // Error pages and other HTML without their own policy get a locked-down one (their only style is inline).
    if (ctx.response.is('html') && !ctx.response.get('Content-Security-Policy')) {
      ctx.set(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
    }
  };
}
