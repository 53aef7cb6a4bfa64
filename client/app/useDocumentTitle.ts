// Per-page document titles ("Mail · Hybrid SPA"): screen readers announce them and tabs and history can tell pages apart.
import { useEffect } from 'react';

const APP_NAME = 'Hybrid SPA';

function documentTitle(page: string): string {
  return page ? `${page} · ${APP_NAME}` : APP_NAME;
}

export function useDocumentTitle(page: string): void {
  useEffect(() => {
    document.title = documentTitle(page);
  }, [page]);
}
