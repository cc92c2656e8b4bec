/** Seat and table pickers (loaded when an event has a seated or tables tier). */
import { lazy } from "react";

export type { SeatMapData } from "./types";
export type { SeatPickerProps } from "./SeatPicker";

export const SeatPicker = lazy(() => import("./SeatPicker").then((m) => ({ default: m.SeatPicker })));
