// The app shell: starts the SPA sign-in once, and renders the lazily loaded page for the current path.
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { Spinner } from '../components/Spinner';
import { initializeAuth } from '../features/auth/initializeAuth';
import { useAppDispatch } from './hooks';
import { Layout } from './Layout';
import { Router, useRouter } from './router';
import { ROUTES, findRoute } from './routes';
import { useDocumentTitle } from './useDocumentTitle';

const PAGES: Record<string, LazyExoticComponent<ComponentType>> = Object.fromEntries(
  ROUTES.map((route) => [route.path, lazy(route.load)]),
);

function NotFound({ pathname }: { pathname: string }) {
  return (
    <section>
      <h1>Page not found</h1>
      <p data-testid="not-found">There is nothing at {pathname}.</p>
    </section>
  );
}

function CurrentPage() {
  const { pathname } = useRouter();
  const route = findRoute(pathname);
  useDocumentTitle(route?.label ?? 'Page not found');
  const Page = route && PAGES[route.path];
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
