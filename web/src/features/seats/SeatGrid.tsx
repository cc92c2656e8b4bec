import { Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { SeatMapData } from "./types";
import "./seats.css";

interface Props {
  map: SeatMapData;
  /** The tier as buyers read it. */
  tierName: string;
  selected: string[];
  /** Most seats (tables) one order may take. */
  max: number;
  disabled?: boolean;
  onToggle: (label: string) => void;
}

/**
 * Rows of seat (or table) buttons: a free one toggles the buyer's pick
 * (aria-pressed), a held or sold one is disabled; each is named "Seat A3,
 * free" / "Table T1, held".
 */
export function SeatGrid({ map, tierName, selected, max, disabled = false, onToggle }: Props) {
  const { t } = useTranslation();
  const full = selected.length >= max;
  return (
    <div
      role="group"
      aria-label={t(map.tables ? "seats.tablesOf" : "seats.seatsOf", { tier: tierName })}
      className="seat-map"
    >
      <Group gap="md" mb="xs">
        {map.tables && map.seatsPerTable ? (
          <Text size="sm">{t("seats.perTable", { count: map.seatsPerTable })}</Text>
        ) : null}
        <Text size="sm">{t("seats.free", { count: map.free })}</Text>
        <Text size="sm">{t("seats.pickUpTo", { count: max })}</Text>
      </Group>
      {map.rows.map((row, i) => (
        <div
          key={`${row.name}-${i}`}
          className="seat-row"
          role="group"
          aria-label={row.name ? t("seats.row", { name: row.name }) : undefined}
        >
          {row.name ? (
            <span className="seat-row-name" aria-hidden="true">
              {row.name}
            </span>
          ) : null}
          {row.seats.map((seat) => {
            const picked = selected.includes(seat.label);
            const taken = seat.state !== "FREE";
            const name = t(map.tables ? "seats.table" : "seats.seat", {
              label: seat.label,
              state: t(`seats.states.${seat.state}`),
            });
            return (
              <button
                key={seat.label}
                type="button"
                className={`seat seat-${seat.state.toLowerCase()}${picked ? " seat-picked" : ""}${map.tables ? " seat-table" : ""}`}
                aria-label={name}
                aria-pressed={picked}
                disabled={disabled || (!picked && (taken || full))}
                data-state={seat.state}
                onClick={() => onToggle(seat.label)}
              >
                {seat.label}
              </button>
            );
          })}
        </div>
      ))}
      <Group gap="md" mt="xs" className="seat-legend" aria-hidden="true">
        <span>
          <span className="seat-key seat-free" /> {t("seats.legend.free")}
        </span>
        <span>
          <span className="seat-key seat-picked" /> {t("seats.legend.selected")}
        </span>
        <span>
          <span className="seat-key seat-held" /> {t("seats.legend.taken")}
        </span>
      </Group>
      <Text size="sm" mt="xs" aria-live="polite">
        {selected.length ? t("seats.picked", { labels: selected.join(", ") }) : ""}
      </Text>
    </div>
  );
}
