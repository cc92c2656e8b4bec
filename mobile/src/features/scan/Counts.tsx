import type { Counts as CountsState } from "./engine";

export function Counts({ counts, day, gate }: { counts: CountsState; day: number; gate: string }) {
  const show = (n: number | null) => (n === null ? "–" : String(n));
  return (
    <section className="counts" aria-labelledby="counts-title">
      <h2 id="counts-title" className="visually-hidden">
        Scanned in
      </h2>
      <div className="counts__card">
        <span className="counts__label">Scanned in, day {day}</span>
        <span className="counts__value" data-testid="count-event">
          {show(counts.event)}
        </span>
      </div>
      <div className="counts__card">
        <span className="counts__label">At {gate}</span>
        <span className="counts__value" data-testid="count-gate">
          {show(counts.gate)}
        </span>
      </div>
      {!counts.live && <p className="counts__note">Last known figures</p>}
    </section>
  );
}
