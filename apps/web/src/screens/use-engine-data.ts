'use client';
// Browser-only. Reads something from the engine's local database, and reads it again whenever
// the engine says that something changed; one read at a time, the newest change winning.
import { useEffect, useState } from 'react';

import type { ParleyEngine } from '../engine/parley-engine.ts';

export function useEngineData<T>(
  engine: ParleyEngine,
  load: (engine: ParleyEngine) => Promise<T>,
  dependencies: readonly unknown[],
): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` changes with `dependencies`.
  useEffect(() => {
    let cancelled = false;
    let running = false;
    let again = false;
    const refresh = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const next = await load(engine);
          if (!cancelled) setValue(next);
        } while (again && !cancelled);
      } finally {
        running = false;
      }
    };
    void refresh();
    const unsubscribe = engine.subscribe(() => void refresh());
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [engine, ...dependencies]);

  return value;
}
