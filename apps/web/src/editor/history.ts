import { useCallback, useRef, useState } from "react";

/**
 * Undo/redo over immutable snapshots. `set(next)` replaces the present (for drags in
 * progress, selection); `commit(next)` records the previous present for undo.
 */
export function useHistory<T>(initial: T, limit = 100) {
  const [present, setPresent] = useState(initial);
  const past = useRef<T[]>([]);
  const future = useRef<T[]>([]);
  const presentRef = useRef(initial);
  presentRef.current = present;
  const [, force] = useState(0);

  const set = useCallback((next: T | ((prev: T) => T)) => {
    setPresent((prev) => (typeof next === "function" ? (next as (p: T) => T)(prev) : next));
  }, []);
  const commit = useCallback(
    (next: T | ((prev: T) => T)) => {
      const prev = presentRef.current;
      const value = typeof next === "function" ? (next as (p: T) => T)(prev) : next;
      past.current = [...past.current.slice(-(limit - 1)), prev];
      future.current = [];
      presentRef.current = value;
      setPresent(value);
      force((n) => n + 1);
    },
    [limit],
  );
  /** records the present as an undo point without changing it (e.g. before a drag) */
  const checkpoint = useCallback(() => {
    past.current = [...past.current.slice(-(limit - 1)), presentRef.current];
    future.current = [];
    force((n) => n + 1);
  }, [limit]);
  const undo = useCallback(() => {
    const prev = past.current.pop();
    if (prev === undefined) return;
    future.current = [presentRef.current, ...future.current];
    presentRef.current = prev;
    setPresent(prev);
    force((n) => n + 1);
  }, []);
  const redo = useCallback(() => {
    const [next, ...rest] = future.current;
    if (next === undefined) return;
    future.current = rest;
    past.current = [...past.current, presentRef.current];
    presentRef.current = next;
    setPresent(next);
    force((n) => n + 1);
  }, []);
  const reset = useCallback((value: T) => {
    past.current = [];
    future.current = [];
    presentRef.current = value;
    setPresent(value);
    force((n) => n + 1);
  }, []);
  return { present, set, commit, checkpoint, undo, redo, reset, canUndo: past.current.length > 0, canRedo: future.current.length > 0 };
}

/** What useHistory returns: the present and its undo/redo operations. */
export type History<T> = ReturnType<typeof useHistory<T>>;
