import { createContext, useContext } from 'react';

/**
 * The time a tile's ages and countdowns count from. The board gives it once for all its tiles, so
 * a tick of the clock re-renders those few lines and not each tile (memoised on its view).
 */
export const TileClock = createContext<number | null>(null);

export function useTileClock(): number {
  const now = useContext(TileClock);
  if (now === null) throw new Error('a tile needs a TileClock (or its now prop)');
  return now;
}
