/** A picture of a venue's plan (own SVG, see plan.ts for the geometry), with its description in words. */
import { useId } from "react";
import { layoutPlan, type PlanSection } from "./plan";

export function VenuePlan({ title, sections }: { title: string; sections: readonly PlanSection[] }) {
  const id = useId();
  const plan = layoutPlan(sections);
  return (
    <svg
      viewBox={`0 0 ${plan.width} ${plan.height}`}
      width="100%"
      style={{ maxWidth: plan.width, display: "block" }}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      data-testid="venue-plan"
      className="venue-plan"
    >
      <title id={`${id}-title`}>{`Plan of ${title}`}</title>
      <desc id={`${id}-desc`}>{plan.summary}</desc>
      <rect x={0} y={0} width={plan.width} height={plan.height} fill="#f8f9fa" stroke="#adb5bd" rx={6} />
      {sections.length === 0 && (
        <text x={plan.width / 2} y={plan.height / 2 + 5} textAnchor="middle" fontSize={14} fill="#343a40">
          No sections yet
        </text>
      )}
      {plan.bands.map((b) => (
        <g key={b.name} data-testid={`plan-section-${b.name}`} data-section={b.name}>
          {b.shapes.map((s, i) => {
            switch (s.kind) {
              case "box":
                return <rect key={i} x={s.x} y={s.y} width={s.w} height={s.h} rx={4} fill="#d0ebff" stroke="#1c7ed6" />;
              case "seat":
                return <circle key={i} cx={s.x} cy={s.y} r={s.r} fill="#1c7ed6" className="plan-seat" />;
              case "table":
                return (
                  <g key={i} className="plan-table">
                    <circle cx={s.x} cy={s.y} r={s.r} fill="#fff3bf" stroke="#e67700" />
                    <text x={s.x} y={s.y + 4} textAnchor="middle" fontSize={10} fill="#343a40">
                      {s.label}
                    </text>
                  </g>
                );
              case "text":
                return (
                  <text key={i} x={s.x} y={s.y} fontSize={s.size} textAnchor={s.anchor} fill="#212529">
                    {s.text}
                  </text>
                );
            }
          })}
        </g>
      ))}
    </svg>
  );
}
