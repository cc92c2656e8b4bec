import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { accessTokenDueForRefresh, refreshTokens } from "./api/graphql";
import { closeLive } from "./api/live";
import { clearSession, deviceId, getSession, subscribeSession } from "./api/session";
import { SignIn } from "./features/auth/SignIn";
import { ScanScreen } from "./features/scan/ScanScreen";
import { PickPlace, type Chosen } from "./features/setup/PickPlace";

const PLACE_KEY = "sellout.place";

function savedPlace(): Chosen | null {
  try {
    const raw = localStorage.getItem(PLACE_KEY);
    return raw ? (JSON.parse(raw) as Chosen) : null;
  } catch {
    return null;
  }
}

/** Keeps the access token fresh: refreshes a minute before it expires, and on coming back online. */
function useTokenRefresh(signedIn: boolean) {
  useEffect(() => {
    if (!signedIn) return;
    const tick = () => {
      if (navigator.onLine && accessTokenDueForRefresh()) void refreshTokens();
    };
    tick();
    const timer = setInterval(tick, 15_000);
    window.addEventListener("online", tick);
    return () => {
      clearInterval(timer);
      window.removeEventListener("online", tick);
    };
  }, [signedIn]);
}

export function App() {
  const session = useSyncExternalStore(subscribeSession, getSession);
  const [place, setPlace] = useState<Chosen | null>(savedPlace);
  useTokenRefresh(session !== null);

  const choose = useCallback((c: Chosen) => {
    localStorage.setItem(PLACE_KEY, JSON.stringify(c));
    setPlace(c);
  }, []);

  const change = useCallback(() => {
    localStorage.removeItem(PLACE_KEY);
    setPlace(null);
  }, []);

  const signOut = useCallback(() => {
    closeLive();
    clearSession();
  }, []);

  if (!session) return <SignIn />;
  if (!place) return <PickPlace onChosen={choose} />;
  return (
    <ScanScreen
      key={`${place.day.event}/${place.day.day}/${place.gate}`}
      place={{
        event: place.day.event,
        day: place.day.day,
        gate: place.gate,
        device: deviceId(),
        staff: session.email,
        checkedIn: place.day.checkedIn,
      }}
      title={place.day.title}
      gateLabel={place.gateLabel}
      onChange={change}
      onSignOut={signOut}
    />
  );
}
