import { useEffect, useState } from "react";
import { nextMoment } from "./sales";

const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * The time (ms since the epoch), taken again as each of `moments`
 * (RFC 3339: a sale opening, a sale ending) passes, so that what depends
 * on them changes when they come.
 */
export function useNow(moments: readonly (string | null | undefined)[]): number {
  const [now, setNow] = useState(() => Date.now());
  const key = moments.join("|");
  useEffect(() => {
    const next = nextMoment(key.split("|"), now);
    if (next === null) return;
    const wait = next - Date.now();
    if (wait > MAX_TIMEOUT) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, wait) + 50);
    return () => clearTimeout(timer);
  }, [key, now]);
  return now;
}
