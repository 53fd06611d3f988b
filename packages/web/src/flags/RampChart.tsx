import { AxisBottom, AxisLeft } from "@visx/axis";
import { curveStepAfter } from "@visx/curve";
import { scaleLinear, scaleTime } from "@visx/scale";
import { LinePath } from "@visx/shape";
import type { RampPoint } from "./rule-logic.js";

const WIDTH = 560;
const HEIGHT = 160;
const MARGIN = { top: 8, right: 16, bottom: 28, left: 40 };

/** The exposure of a progressive rule over time, as an SVG step line with an accessible name. */
export function RampChart({
  points,
  label,
  timeZone,
}: {
  points: RampPoint[];
  label: string;
  timeZone: string;
}) {
  const first = points[0]?.at ?? 0;
  const last = points[points.length - 1]?.at ?? first;
  // The last level holds on: draw it a step further so it is visible.
  const end = last + Math.max((last - first) / Math.max(points.length - 1, 1), 3_600_000);
  const x = scaleTime({
    domain: [new Date(first), new Date(end)],
    range: [MARGIN.left, WIDTH - MARGIN.right],
  });
  const y = scaleLinear({ domain: [0, 100], range: [HEIGHT - MARGIN.bottom, MARGIN.top] });
  const data = [...points, { at: end, exposure: points[points.length - 1]?.exposure ?? 0 }];
  const format = new Intl.DateTimeFormat(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    timeZone,
  });
  return (
    <svg width={WIDTH} height={HEIGHT} role="img" aria-label={label} style={{ maxWidth: "100%" }}>
      <AxisLeft scale={y} left={MARGIN.left} numTicks={4} tickFormat={(v) => `${v}%`} />
      <AxisBottom
        scale={x}
        top={HEIGHT - MARGIN.bottom}
        numTicks={4}
        tickFormat={(v) => format.format(v as Date)}
      />
      <LinePath
        data={data}
        x={(p) => x(new Date(p.at))}
        y={(p) => y(p.exposure)}
        curve={curveStepAfter}
        stroke="var(--mantine-primary-color-filled)"
        strokeWidth={2}
      />
    </svg>
  );
}
