import { QrScanner } from "@sellout/scanner";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Conflicts } from "./Conflicts";
import { Counts } from "./Counts";
import { ScanEngine, type Place, type ScanResult } from "./engine";
import { feedback } from "./feedback";
import { lookOf, ResultScreen } from "./ResultScreen";
import { StatusBar } from "./StatusBar";

interface Props {
  place: Place;
  title: string;
  gateLabel: string;
  onChange: () => void;
  onSignOut: () => void;
}

export function ScanScreen({ place, title, gateLabel, onChange, onSignOut }: Props) {
  const [engine] = useState(() => new ScanEngine(place));
  const state = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  const [result, setResult] = useState<ScanResult | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const busy = useRef(false);

  useEffect(() => {
    void engine.start();
    return () => engine.stop();
  }, [engine]);

  const onCode = useCallback(
    async (text: string) => {
      if (busy.current) return;
      busy.current = true;
      try {
        const r = await engine.scan(text);
        const look = lookOf(r.answer.outcome);
        feedback(look.feel);
        setAnnouncement(`${look.word}. ${r.answer.message}`);
        setResult(r);
      } finally {
        busy.current = false;
      }
    },
    [engine],
  );

  const done = useCallback(() => setResult(null), []);

  return (
    <div className="scan">
      <header className="scan__header">
        <div>
          <h1 className="scan__title">{title}</h1>
          <p className="scan__place">
            Day {place.day} · {gateLabel}
          </p>
        </div>
        <div className="scan__actions">
          <button type="button" onClick={onChange} data-testid="change-place">
            Change
          </button>
          <button type="button" onClick={onSignOut} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </header>
      <main className="scan__body">
        <StatusBar state={state} />
        {state.syncError && (
          <p className="scan__error" role="alert">
            {state.syncError}
          </p>
        )}
        <Conflicts conflicts={state.conflicts} thisDevice={place.device} />
        <div aria-live="assertive" className="visually-hidden">
          {announcement}
        </div>
        {result ? (
          <ResultScreen result={result} thisDevice={place.device} onDone={done} />
        ) : (
          <Counts counts={state.counts} day={place.day} gate={gateLabel} />
        )}
        <div className="scan__scanner">
          <QrScanner onCode={(t) => void onCode(t)} paused={result !== null} />
        </div>
      </main>
    </div>
  );
}
