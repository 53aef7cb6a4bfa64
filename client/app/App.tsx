// The app shell: starts the SPA sign-in once, and renders the lazily loaded page for the current path.
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { Spinner } from '../components/Spinner';
import { initializeAuth } from '../features/auth/initializeAuth';
import { useAppDispatch } from './hooks';
import { Layout } from './Layout';
import { Router, useRouter } from './router';

const PAGES: Record<string, LazyExoticComponent<ComponentType>> = {
  '/': lazy(() => import(/* webpackChunkName: "home" */ '../pages/HomePage')),
  '/profile': lazy(() => import(/* webpackChunkName: "profile" */ '../pages/ProfilePage')),
  '/mail': lazy(() => import(/* webpackChunkName: "mail" */ '../pages/MailPage')),
  '/mail/send': lazy(() => import(/* webpackChunkName: "send-mail" */ '../pages/SendMailPage')),
  '/secret': lazy(() => import(/* webpackChunkName: "secret" */ '../pages/SecretPage')),
};

function CurrentPage() {
  const { pathname } = useRouter();
  const Page = PAGES[pathname.replace(/\/+$/, '') || '/'];
  if (!Page) {
    return (
      <section>
        <h1>Page not found</h1>
        <p data-testid="not-found">There is nothing at {pathname}.</p>
      </section>
    );
  }
  return (
    <Suspense fallback={<Spinner label="Loading page…" />}>
      <Page />
    </Suspense>
  );
}

export function App({ initialPath }: { initialPath?: string }) {
  const dispatch = useAppDispatch();
  useEffect(() => {
    // Guarded by the thunk's condition: StrictMode's second effect does not redeem the spa code again.
    void dispatch(initializeAuth());
  }, [dispatch]);
  return (
    <Router initialPath={initialPath}>
      <Layout>
        <CurrentPage />
      </Layout>
    </Router>
  );
}
