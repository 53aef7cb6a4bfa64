// A minimal History-API router: the current path in context, <Link> for in-app navigation, no dependency.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

interface RouterValue {
  /** pathname + search */
  path: string;
  pathname: string;
  push: (to: string) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

const currentLocation = () => window.location.pathname + window.location.search;

/** Provides the current path; `initialPath` lets server-side rendering (tests) run without a window. */
export function Router({ children, initialPath }: { children: ReactNode; initialPath?: string }) {
  const [path, setPath] = useState(() => initialPath ?? currentLocation());
  useEffect(() => {
    const onPopState = () => setPath(currentLocation());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  const push = useCallback((to: string) => {
    window.history.pushState(null, '', to);
    setPath(currentLocation());
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ path, pathname: path.split('?')[0] ?? '/', push }), [path, push]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter must be used inside <Router>');
  return value;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** A real link (works with middle-click, copy link, keyboard); plain clicks stay in the SPA. */
export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const { pathname, push } = useRouter();
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    push(to);
  };
  return (
    <a href={to} onClick={handleClick} aria-current={pathname === to ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}
