import type { ScanConflict } from "../../api/documents";
import { formatTime, shortId } from "../../format";

function who(device: string, thisDevice: string) {
  return device === thisDevice ? "this device" : `device ${shortId(device)}`;
}

/** Conflicts found when offline scans were synced: never dropped, always shown. */
export function Conflicts({ conflicts, thisDevice }: { conflicts: ScanConflict[]; thisDevice: string }) {
  if (conflicts.length === 0) return null;
  return (
    <section className="conflicts" aria-labelledby="conflicts-title" data-testid="conflicts">
      <h2 id="conflicts-title">
        <span aria-hidden="true">⚠ </span>
        {conflicts.length === 1 ? "1 conflict" : `${conflicts.length} conflicts`}
      </h2>
      <ul>
        {conflicts.map((c) => (
          <li key={c.scanId} data-testid="conflict-item">
            Conflict: ticket <code>{c.ticketId ?? "unknown"}</code>
            {c.tier ? ` (${c.tier}, day ${c.day})` : ""} admitted at gate {c.gate} by {who(c.device, thisDevice)} at{" "}
            <time dateTime={c.scannedAt}>{formatTime(c.scannedAt)}</time>
            {c.standing && (
              <>
                ; the admission that stands: gate {c.standing.gate} by {who(c.standing.device, thisDevice)} at{" "}
                <time dateTime={c.standing.at}>{formatTime(c.standing.at)}</time>
              </>
            )}
            . {c.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
