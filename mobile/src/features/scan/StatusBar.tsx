import { formatTime } from "../../format";
import type { EngineState } from "./engine";

export function StatusBar({ state }: { state: EngineState }) {
  return (
    <div className="status" role="status" aria-label="Connection and sync">
      <span className={`status__online status__online--${state.online ? "on" : "off"}`}>
        <span aria-hidden="true">{state.online ? "●" : "○"} </span>
        <span data-testid="status-online">{state.online ? "Online" : "Offline"}</span>
      </span>
      <span>
        Queued: <strong data-testid="queue-length">{state.queueLength}</strong>
      </span>
      <span>
        Last sync:{" "}
        {state.lastSync ? (
          <time dateTime={state.lastSync} data-testid="last-sync">
            {formatTime(state.lastSync)}
          </time>
        ) : (
          <span data-testid="last-sync">Never</span>
        )}
      </span>
      {state.kit === null && <span className="status__warn">No offline data yet</span>}
    </div>
  );
}
