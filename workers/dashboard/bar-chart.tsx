import type { Bar } from "./payment-stats.js";

const WIDTH = 320;
const ROW = 22;
const LABEL = 96;
const VALUE = 84;

/**
 * A horizontal bar chart as inline SVG, drawn on the server: no chart script to ship or run, so
 * it shows without JavaScript and under the pages' strict CSP. `role="img"` with a title names it
 * for screen readers (WCAG 1.1.1), and every bar's number is written beside it, never colour alone.
 */
export function BarChart({ id, title, bars }: { id: string; title: string; bars: Bar[] }) {
  if (bars.length === 0) return <p class="muted">Nothing yet.</p>;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const span = WIDTH - LABEL - VALUE;
  const height = bars.length * ROW + 4;
  return (
    <svg class="bars" id={id} viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title`}>
      <title id={`${id}-title`}>{title}</title>
      {bars.map((bar, index) => {
        const y = index * ROW + 2;
        return (
          <g>
            <text x={0} y={y + 15}>
              {bar.label}
            </text>
            <rect x={LABEL} y={y + 3} height={ROW - 8} width={Math.max(1, Math.round((bar.value / max) * span))} />
            <text x={WIDTH} y={y + 15} text-anchor="end">
              {bar.text ?? String(bar.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
