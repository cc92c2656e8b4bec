import type { SeatState } from "../../gql/graphql";

/** A seat map as `seatMap` answers it (query and subscription alike). */
export interface SeatMapData {
  tier: string;
  tables: boolean;
  seatsPerTable: number | null;
  free: number;
  rows: { name: string; seats: { label: string; state: SeatState }[] }[];
}
