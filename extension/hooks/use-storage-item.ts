import { useEffect, useState } from 'react';
import type { WxtStorageItem } from 'wxt/utils/storage';

/**
 * A typed storage item's value, kept current from any context: `undefined` until the first read,
 * then the stored value (or the item's fallback). A change that lands before the first read wins,
 * since it is newer.
 */
export function useStorageItem<T>(
  item: Pick<WxtStorageItem<T, Record<string, unknown>>, 'getValue' | 'watch'>,
) {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    let active = true;
    let changed = false;
    const unwatch = item.watch((next) => {
      changed = true;
      if (active) setValue(next);
    });
    void item.getValue().then((first) => {
      if (active && !changed) setValue(first);
    });
    return () => {
      active = false;
      unwatch();
    };
  }, [item]);
  return value;
}
