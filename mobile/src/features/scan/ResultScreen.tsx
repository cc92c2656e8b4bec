import { useEffect, useRef } from "react";
import type { ScanOutcome } from "../../api/documents";
import { formatTime, shortId } from "../../format";
import type { ScanResult } from "./engine";
import type { Feel } from "./feedback";

interface Look {
  word: string;
  icon: string;
  feel: Feel;
}

const LOOKS: Record<ScanOutcome, Look> = {
  ADMITTED: { word: "ADMITTED", icon: "✓", feel: "good" },
  REDEEMED: { word: "REDEEMED", icon: "✓", feel: "good" },
  ALREADY_ADMITTED: { word: "ALREADY ADMITTED", icon: "!", feel: "warn" },
  REVOKED: { word: "REVOKED", icon: "✕", feel: "bad" },
  WRONG_EVENT: { word: "WRONG EVENT", icon: "✕", feel: "bad" },
  WRONG_DAY: { word: "WRONG DAY", icon: "✕", feel: "bad" },
  NOT_YET_VALID: { word: "NOT YET VALID", icon: "!", feel: "warn" },
  WRONG_GATE: { word: "WRONG GATE", icon: "!", feel: "warn" },
  INVALID: { word: "INVALID", icon: "✕", feel: "bad" },
};

export function lookOf(outcome: ScanOutcome): Look {
  return LOOKS[outcome];
}

/** How long a result stays before scanning resumes by itself. */
export function holdMs(outcome: ScanOutcome): number {
  return LOOKS[outcome].feel === "good" ? 4000 : 7000;
}

interface Props {
  result: ScanResult;
  thisDevice: string;
  onDone: () => void;
}

/**
 * The big result: an icon and a word (never colour alone), the message,
 * who and what, and for an earlier admission when, where and by which device.
 */
export function ResultScreen({ result, thisDevice, onDone }: Props) {
  const { answer, offline } = result;
  const look = LOOKS[answer.outcome];
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    button.current?.focus();
    const timer = setTimeout(onDone, holdMs(answer.outcome));
    return () => clearTimeout(timer);
  }, [answer.outcome, onDone]);

  const standing = answer.standing;
  return (
    <section
      className={`result result--${look.feel}`}
      aria-labelledby="result-word"
      aria-describedby="result-message"
      data-testid="result"
      onClick={onDone}
    >
      <div className="result__icon" aria-hidden="true">
        {look.icon}
      </div>
      <h2 id="result-word" className="result__word">
        {look.word}
      </h2>
      <p id="result-message" className="result__message">
        {answer.message}
      </p>
      <dl className="result__facts">
        {answer.holderName && (
          <>
            <dt>Name</dt>
            <dd data-testid="result-holder">{answer.holderName}</dd>
          </>
        )}
        {answer.tierDisplayName && (
          <>
            <dt>Ticket</dt>
            <dd data-testid="result-tier">{answer.tierDisplayName}</dd>
          </>
        )}
        {answer.outcome === "ADMITTED" && answer.admissions > 1 && (
          <>
            <dt>Admits</dt>
            <dd>{answer.admissions} people</dd>
          </>
        )}
        {answer.day > 0 && (
          <>
            <dt>Day</dt>
            <dd>{answer.day}</dd>
          </>
        )}
        {answer.validDays.length > 0 && (answer.outcome === "WRONG_DAY" || answer.outcome === "NOT_YET_VALID") && (
          <>
            <dt>Valid on</dt>
            <dd>day {answer.validDays.join(", ")}</dd>
          </>
        )}
        {answer.outcome === "ALREADY_ADMITTED" && standing && (
          <>
            <dt>Admitted at</dt>
            <dd data-testid="standing-at">
              <time dateTime={standing.at}>{formatTime(standing.at)}</time>
            </dd>
            <dt>Gate</dt>
            <dd data-testid="standing-gate">{standing.gate}</dd>
            <dt>Device</dt>
            <dd data-testid="standing-device">
              {standing.device === thisDevice ? "this device" : shortId(standing.device)}
              {standing.offline ? " (offline)" : ""}
            </dd>
          </>
        )}
        {answer.ticketId && (
          <>
            <dt>Ticket id</dt>
            <dd data-testid="result-ticket">{shortId(answer.ticketId)}</dd>
          </>
        )}
      </dl>
      <p className="result__code">
        {offline ? "Checked on this device (offline) · " : ""}
        <span data-testid="result-outcome">{answer.outcome}</span>
      </p>
      <button ref={button} type="button" className="result__next" onClick={onDone} data-testid="result-dismiss">
        Scan next
      </button>
    </section>
  );
}
