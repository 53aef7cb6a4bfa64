// The app shell: starts the SPA sign-in once, and renders the lazily loaded page for the current path.
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { Spinner } from '../components/Spinner';
import { initializeAuth } from '../features/auth/initializeAuth';
import { useAppDispatch } from './hooks';
import { Layout } from './Layout';
import { Router, useRouter } from './router';
import { PAGE_LOADERS, routeKey } from './routes';
import { useDocumentTitle } from './useDocumentTitle';

const PAGES: Record<string, LazyExoticComponent<ComponentType>> = Object.fromEntries(
  Object.entries(PAGE_LOADERS).map(([path, load]) => [path, lazy(load)]),
);

function NotFound({ pathname }: { pathname: string }) {
  useDocumentTitle('Page not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p data-testid="not-found">There is nothing at {pathname}.</p>
    </section>
  );
}

function CurrentPage() {
  const { pathname } = useRouter();
  const Page = PAGES[routeKey(pathname)];
  if (!Page) return <NotFound pathname={pathname} />;
  return (
    <Suspense fallback={<Spinner label="Loading page…" />}>
      <Page />
    </Suspense>
  );
}

export function App({ initialPath }: { initialPath?: string }) {
  const dispatch = useAppDispatch();
  useEffect(() => {
    // Guarded by the thunk's condition: StrictMode's second effect (and a Fast Refresh) does not redeem the spa code again.
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
