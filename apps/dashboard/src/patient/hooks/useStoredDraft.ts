import { useCallback, useState } from 'react';

/**
 * Form state kept in localStorage as it is typed, so a half-filled screening or check-in
 * survives the tab being closed or the phone reloading the page.
 */
export function useStoredDraft<T>(
  key: string,
  initial: () => T,
): [T, (update: (prev: T) => T) => void, () => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as T) : initial();
    } catch {
      return initial();
    }
  });
  const update = useCallback(
    (fn: (prev: T) => T) =>
      setValue((prev) => {
        const next = fn(prev);
        try {
          localStorage.setItem(key, JSON.stringify(next));
        } catch {
          // storage full: the form still works, only the draft is not kept
        }
        return next;
      }),
    [key],
  );
  const clear = useCallback(() => {
    localStorage.removeItem(key);
    setValue(initial());
  }, [key, initial]);
  return [value, update, clear];
}
