import { useEffect, useId, useState, type FormEvent } from "react";
import { SCAN_DAYS, SCANNER_KIT, type ScanDay, type ScannerKit } from "../../api/documents";
import { ApiError, gql } from "../../api/graphql";
import { formatTime } from "../../format";
import * as store from "../../store/db";
import { unlockAudio } from "../scan/feedback";

export interface Chosen {
  day: ScanDay;
  gate: string;
  gateLabel: string;
}

const DAYS_KEY = "sellout.scanDays";
export const DEFAULT_GATE = "Main entrance";

function cachedDays(): ScanDay[] {
  try {
    return JSON.parse(localStorage.getItem(DAYS_KEY) ?? "[]") as ScanDay[];
  } catch {
    return [];
  }
}

/** Pick the event day (from scanDays) and the gate (the kit's gates, or free text). */
export function PickPlace({ onChosen }: { onChosen: (c: Chosen) => void }) {
  const [days, setDays] = useState<ScanDay[]>(cachedDays);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [day, setDay] = useState<ScanDay | null>(null);
  const [kit, setKit] = useState<ScannerKit | null | undefined>(undefined);
  const [gate, setGate] = useState(DEFAULT_GATE);
  const gateId = useId();

  useEffect(() => {
    let live = true;
    gql<{ scanDays: ScanDay[] }>(SCAN_DAYS)
      .then((d) => {
        if (!live) return;
        setDays(d.scanDays);
        localStorage.setItem(DAYS_KEY, JSON.stringify(d.scanDays));
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof ApiError ? e.message : "Offline: showing the days known from before.");
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, []);

  const pickDay = async (d: ScanDay) => {
    unlockAudio();
    setDay(d);
    setKit(undefined);
    let k: ScannerKit | null = (await store.loadKit(d.event))?.kit ?? null;
    try {
      k = (await gql<{ scannerKit: ScannerKit }>(SCANNER_KIT, { event: d.event })).scannerKit;
      await store.saveKit(d.event, k);
    } catch {
      // the cached kit, if any
    }
    setKit(k);
    const first = k?.gates[0];
    setGate(first ? first.name : DEFAULT_GATE);
  };

  const start = (e: FormEvent) => {
    e.preventDefault();
    if (!day) return;
    unlockAudio();
    const known = kit?.gates.find((g) => g.name === gate);
    const text = gate.trim() || DEFAULT_GATE;
    onChosen({ day, gate: known ? known.name : text, gateLabel: known ? known.displayName : text });
  };

  if (day) {
    const gates = kit?.gates ?? [];
    return (
      <main className="pick">
        <h1>
          {day.title}, day {day.day}
        </h1>
        <p>{day.venue}</p>
        {kit === undefined ? (
          <p role="status">Loading the event&apos;s scanner data…</p>
        ) : (
          <form onSubmit={start}>
            <label htmlFor={gateId}>Gate</label>
            {gates.length > 0 ? (
              <select id={gateId} value={gate} onChange={(e) => setGate(e.target.value)} data-testid="gate-select">
                {gates.map((g) => (
                  <option key={g.name} value={g.name}>
                    {g.displayName}
                  </option>
                ))}
              </select>
            ) : (
              <input id={gateId} value={gate} onChange={(e) => setGate(e.target.value)} data-testid="gate-input" />
            )}
            {kit === null && (
              <p className="error" role="alert">
                The event&apos;s scanner data could not be loaded: offline scanning is not possible until it is.
              </p>
            )}
            <button type="submit" data-testid="start-scanning">
              Start scanning
            </button>
            <button type="button" className="link" onClick={() => setDay(null)}>
              Back to the event days
            </button>
          </form>
        )}
      </main>
    );
  }

  return (
    <main className="pick">
      <h1>Which event day?</h1>
      {loading && days.length === 0 && <p role="status">Loading…</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!loading && days.length === 0 && <p>No event to scan right now.</p>}
      <ul className="pick__days">
        {days.map((d) => (
          <li key={`${d.event}/${d.day}`}>
            <button
              type="button"
              onClick={() => void pickDay(d)}
              data-testid="scan-day"
              data-event={d.event}
              data-day={d.day}
            >
              <strong>{d.title}</strong> · day {d.day}
              <br />
              {d.venue} · doors {formatTime(d.doorsAt)} · {d.checkedIn} scanned in
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
