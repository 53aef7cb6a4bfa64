// The route table: each page's path, its label (nav link and document title), its lazily loaded chunk and, for Home's
// "What you can do", a card. Read by main.tsx (starts the current page's chunk with the app chunk), the shell's and the
// layout's nav, App (React.lazy over the same loaders: webpack loads each chunk once) and the home page.
import type { ComponentType } from 'react';

type PageModule = { default: ComponentType };

export interface AppRoute {
  path: string;
  /** The nav link's text and the document title. */
  label: string;
  load: () => Promise<PageModule>;
  /** What Home says about the page; Home itself has none. */
  card?: { title: string; text: string };
}

export const ROUTES: readonly AppRoute[] = [
  { path: '/', label: 'Home', load: () => import(/* webpackChunkName: "home" */ '../features/home/HomePage') },
  {
    path: '/profile',
    label: 'Profile',
    load: () => import(/* webpackChunkName: "profile" */ '../features/profile/ProfilePage'),
    card: {
      title: 'Your profile',
      text: 'Your name, photo and contacts, read by this browser from Microsoft Graph with its own token.',
    },
  },
  {
    path: '/mail',
    label: 'Mail',
    load: () => import(/* webpackChunkName: "mail" */ '../features/mail/MailPage'),
    card: { title: 'Mail', text: 'Your inbox, read by the server: the mail permission never reaches the browser.' },
  },
  {
    path: '/mail/send',
    label: 'Send mail',
    load: () => import(/* webpackChunkName: "send-mail" */ '../features/mail/SendMailPage'),
    card: {
      title: 'Send mail',
      text: 'Write a message; the app asks for the send permission the first time you need it.',
    },
  },
  {
    path: '/secret',
    label: 'Secret',
    load: () => import(/* webpackChunkName: "secret" */ '../features/secret/SecretPage'),
    card: { title: 'Secret', text: 'A Key Vault secret the server reads with its own identity.' },
  },
];

/** The route for a pathname (`/mail/` and `/mail` are the same page), or undefined. */
export function findRoute(pathname: string): AppRoute | undefined {
  const key = pathname.replace(/\/+$/, '') || '/';
  return ROUTES.find((route) => route.path === key);
}

/** `nav-send-mail` for "Send mail". */
export const navTestId = (route: AppRoute) => `nav-${route.label.toLowerCase().replace(/\s+/g, '-')}`;
