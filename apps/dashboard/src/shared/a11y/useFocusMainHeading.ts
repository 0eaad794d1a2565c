import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { focusMainHeadingWhenReady } from './focus-main-heading';

/**
 * On sign-in (the first render of a signed-in layout) and on every route change, focus the new
 * page's main heading: a single-page app otherwise leaves focus on a link that is gone.
 */
export function useFocusMainHeading(): void {
  const { pathname } = useLocation();
  useEffect(() => focusMainHeadingWhenReady(document), [pathname]);
}
