// The page table: path → the page's chunk. main.tsx starts loading the current page's chunk at once (in parallel with
// the app chunk); App wraps the same loaders in React.lazy, and webpack loads each chunk only once.
import type { ComponentType } from 'react';

type PageModule = { default: ComponentType };

export const PAGE_LOADERS: Record<string, () => Promise<PageModule>> = {
  '/': () => import(/* webpackChunkName: "home" */ '../pages/HomePage'),
  '/profile': () => import(/* webpackChunkName: "profile" */ '../pages/ProfilePage'),
  '/mail': () => import(/* webpackChunkName: "mail" */ '../pages/MailPage'),
  '/mail/send': () => import(/* webpackChunkName: "send-mail" */ '../pages/SendMailPage'),
  '/secret': () => import(/* webpackChunkName: "secret" */ '../pages/SecretPage'),
};

/** `/mail/` and `/mail` are the same page. */
export function routeKey(pathname: string): string {
  return pathname.replace(/\/+$/, '') || '/';
}

export const NAV = [
  { to: '/', label: 'Home' },
  { to: '/profile', label: 'Profile' },
  { to: '/mail', label: 'Mail' },
  { to: '/mail/send', label: 'Send mail' },
  { to: '/secret', label: 'Secret' },
] as const;

export const navTestId = (label: string) => `nav-${label.toLowerCase().replace(/\s+/g, '-')}`;
