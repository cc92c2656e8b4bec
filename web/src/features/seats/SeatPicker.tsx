import { useEffect } from "react";
import { useSubscription } from "urql";
import { SeatMapSubscription } from "./api";
import { SeatGrid } from "./SeatGrid";
import type { SeatMapData } from "./types";

export interface SeatPickerProps {
  event: string;
  tierName: string;
  /** The map as first loaded; the live one replaces it. */
  initial: SeatMapData;
  selected: string[];
  max: number;
  disabled?: boolean;
  onToggle: (label: string) => void;
}

/** The seat map of a tier, live over the `seatMap` subscription. */
export function SeatPicker({ event, tierName, initial, selected, max, disabled, onToggle }: SeatPickerProps) {
  const [{ data }] = useSubscription({ query: SeatMapSubscription, variables: { event, tier: initial.tier } });
  const map: SeatMapData = data?.seatMap ?? initial;

  // a seat picked here that someone else has just taken is no longer picked
  useEffect(() => {
    const taken = new Set(map.rows.flatMap((r) => r.seats.filter((s) => s.state !== "FREE").map((s) => s.label)));
    for (const label of selected) if (taken.has(label)) onToggle(label);
  }, [map, selected, onToggle]);

  return (
    <SeatGrid map={map} tierName={tierName} selected={selected} max={max} disabled={disabled} onToggle={onToggle} />
  );
}
