import { useEffect, useRef, useSyncExternalStore } from "react";
import { clockNow, subscribeClock } from "./clock";

/**
 * Milliseconds left until `deadlineMs` (ms since the epoch), never below 0,
 * updated as the clock ticks; null without a deadline. `onExpire` runs once
 * when it reaches 0.
 */
export function useCountdown(deadlineMs: number | null, onExpire?: () => void): number | null {
  const now = useSyncExternalStore(subscribeClock, clockNow, clockNow);
  const left = deadlineMs === null ? null : Math.max(0, deadlineMs - now);
  const expire = useRef(onExpire);
  useEffect(() => {
    expire.current = onExpire;
  });
  const over = left === 0;
  useEffect(() => {
    if (over) expire.current?.();
  }, [over, deadlineMs]);
  return left;
}
