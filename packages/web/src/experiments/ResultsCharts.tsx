import { Group, Text } from "@mantine/core";
import { AxisBottom, AxisLeft } from "@visx/axis";
import { curveMonotoneX } from "@visx/curve";
import { scaleBand, scaleLinear, scaleTime } from "@visx/scale";
import { Area, Line, LinePath } from "@visx/shape";
import { liftDensity, type Series, type VariationRow } from "./results-logic.js";

// The results page's plots: SVG (visx) with role="img" and an accessible name that says what they show.

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 20, bottom: 28, left: 56 };
const PALETTE = [
  "var(--mantine-color-gray-7)",
  "var(--mantine-color-indigo-7)",
  "var(--mantine-color-teal-8)",
  "var(--mantine-color-orange-8)",
  "var(--mantine-color-grape-7)",
  "var(--mantine-color-cyan-8)",
];
/** Each variation's colour, by its position in the report (the reference first). */
export const colorOf = (index: number) => PALETTE[index % PALETTE.length] as string;

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

function Legend({ items }: { items: { name: string; color: string }[] }) {
  return (
    <Group gap="md" aria-hidden="true">
      {items.map((item) => (
        <Group key={item.name} gap={4}>
          <svg width={12} height={12} aria-hidden="true">
            <rect width={12} height={12} fill={item.color} />
          </svg>
          <Text size="xs">{item.name}</Text>
        </Group>
      ))}
    </Group>
  );
}

/** A plot: the SVG with its accessible name (what it shows, in words), and the variations' legend. */
function Plot({
  label,
  height = HEIGHT,
  legend,
  children,
}: {
  label: string;
  height?: number;
  legend?: { name: string; color: string }[];
  children: React.ReactNode;
}) {
  const svg = (
    <svg width={WIDTH} height={height} role="img" aria-label={label} style={{ maxWidth: "100%" }}>
      {children}
    </svg>
  );
  if (!legend) return svg;
  return (
    <div>
      {svg}
      <Legend items={legend} />
    </div>
  );
}

const legendOf = (series: Series[], colors: string[]) =>
  series.map((s, i) => ({ name: s.name, color: colors[i] as string }));

/** The dashed line of no difference (lift 0), across the plot. */
function ZeroLine({ from, to }: { from: { x: number; y: number }; to: { x: number; y: number } }) {
  return <Line from={from} to={to} stroke="var(--mantine-color-text)" strokeDasharray="4 3" />;
}

/** Each series as a line through its days, a dot on each. */
function SeriesLines({
  series,
  colors,
  x,
  y,
  curve,
}: {
  series: Series[];
  colors: string[];
  x: (time: number) => number;
  y: (value: number) => number;
  curve?: typeof curveMonotoneX;
}) {
  return series.map((s, i) => {
    const points = s.points.filter((p) => finite(p.value));
    return (
      <g key={`line-${s.variationId}`}>
        <LinePath
          data={points}
          x={(p) => x(p.time)}
          y={(p) => y(p.value ?? 0)}
          stroke={colors[i]}
          strokeWidth={2}
          {...(curve ? { curve } : {})}
        />
        {points.map((p) => (
          <circle key={p.time} cx={x(p.time)} cy={y(p.value ?? 0)} r={3} fill={colors[i]} />
        ))}
      </g>
    );
  });
}

const HALF_DAY = 43_200_000;

/** A time axis over the days, padded by half a day so that a single day shows; each day a tick when few. */
function timeScale(times: number[]) {
  const first = times.length > 0 ? Math.min(...times) : 0;
  const last = times.length > 0 ? Math.max(...times) : 0;
  const x = scaleTime({
    domain: [new Date(first - HALF_DAY), new Date(last + HALF_DAY)],
    range: [MARGIN.left, WIDTH - MARGIN.right],
  });
  const days = [...new Set(times)].sort((a, b) => a - b);
  const ticks = days.length <= 8 ? days.map((t) => new Date(t)) : undefined;
  const axis = (
    <AxisBottom
      scale={x}
      top={HEIGHT - MARGIN.bottom}
      numTicks={6}
      tickValues={ticks}
      tickFormat={(v) => dayFormat.format(v as Date)}
    />
  );
  return { x: (time: number) => x(new Date(time)) as number, axis };
}

function domainOf(values: number[], includeZero: boolean): [number, number] {
  const all = includeZero ? [...values, 0] : values;
  if (all.length === 0) return [0, 1];
  const low = Math.min(...all);
  const high = Math.max(...all);
  const pad = (high - low) * 0.05 || 1;
  return [low - pad, high + pad];
}

/**
 * Cumulative lift of each variation over the days with its interval as a band (the report's own interval
 * of each cumulative day; an open bound is clipped at the plot's edge).
 */
export function LiftOverTimeChart({
  series,
  colors,
  goalName,
}: {
  series: Series[];
  colors: string[];
  goalName: string;
}) {
  const points = series.flatMap((s) => s.points);
  const { x, axis } = timeScale(points.map((p) => p.time));
  const values = points.flatMap((p) => [p.value, p.lower, p.upper]).filter(finite);
  const y = scaleLinear({
    domain: domainOf(values, true),
    range: [HEIGHT - MARGIN.bottom, MARGIN.top],
    clamp: true,
  });
  const [yLow, yHigh] = y.domain() as [number, number];
  const last = series.map((s) => ({ name: s.name, point: s.points.findLast((p) => finite(p.value)) }));
  const label = `Cumulative lift of ${goalName} over time with its 95 % interval: ${last
    .map(({ name, point }) =>
      point ? `${name} ${point.value?.toFixed(1)} % on ${dayFormat.format(point.time)}` : `${name} no data`,
    )
    .join("; ")}`;
  return (
    <Plot label={label} legend={legendOf(series, colors)}>
      {series.map((s, i) => (
        <Area
          key={`band-${s.variationId}`}
          data={s.points.filter((p) => finite(p.value))}
          x={(p) => x(p.time)}
          y0={(p) => y(p.lower ?? yLow)}
          y1={(p) => y(p.upper ?? yHigh)}
          fill={colors[i]}
          fillOpacity={0.15}
          curve={curveMonotoneX}
        />
      ))}
      <ZeroLine from={{ x: MARGIN.left, y: y(0) }} to={{ x: WIDTH - MARGIN.right, y: y(0) }} />
      <SeriesLines series={series} colors={colors} x={x} y={y} curve={curveMonotoneX} />
      <AxisLeft scale={y} left={MARGIN.left} numTicks={5} tickFormat={(v) => `${v} %`} />
      {axis}
    </Plot>
  );
}

/** Units of each variation over the days (cumulative). */
export function ExposuresChart({
  series,
  colors,
  unit,
}: {
  series: Series[];
  colors: string[];
  unit: string;
}) {
  const points = series.flatMap((s) => s.points);
  const { x, axis } = timeScale(points.map((p) => p.time));
  const y = scaleLinear({
    domain: [0, Math.max(1, ...points.map((p) => p.value).filter(finite))],
    range: [HEIGHT - MARGIN.bottom, MARGIN.top],
    nice: true,
  });
  const label = `${unit} per variation over time (cumulative): ${series
    .map((s) => `${s.name} ${s.points.findLast((p) => finite(p.value))?.value?.toLocaleString() ?? 0}`)
    .join("; ")}`;
  return (
    <Plot label={label} legend={legendOf(series, colors)}>
      <SeriesLines series={series} colors={colors} x={x} y={y} />
      <AxisLeft scale={y} left={MARGIN.left} numTicks={5} tickFormat={(v) => Number(v).toLocaleString()} />
      {axis}
    </Plot>
  );
}

/** Each variation's lift with its interval as a bar around the estimate (the reference is the 0 line). */
export function IntervalBars({
  rows,
  colors,
  goalName,
}: {
  rows: VariationRow[];
  colors: string[];
  goalName: string;
}) {
  const compared = rows
    .map((r, i) => ({ row: r, color: colors[i] as string }))
    .filter((r) => !r.row.reference);
  const height = MARGIN.top + MARGIN.bottom + 36 * Math.max(compared.length, 1);
  const values = compared
    .flatMap(({ row }) => [row.lift, row.interval?.lower, row.interval?.upper])
    .filter(finite);
  const x = scaleLinear({
    domain: domainOf(values, true),
    range: [MARGIN.left + 80, WIDTH - MARGIN.right],
    clamp: true,
  });
  const [xLow, xHigh] = x.domain() as [number, number];
  const y = scaleBand({
    domain: compared.map(({ row }) => row.variationId),
    range: [MARGIN.top, height - MARGIN.bottom],
    padding: 0.4,
  });
  const label = `Lift of ${goalName} with its interval per variation: ${compared
    .map(({ row }) =>
      finite(row.lift)
        ? `${row.name} ${row.lift.toFixed(1)} % from ${row.interval?.lower?.toFixed(1) ?? "minus infinity"} % to ${row.interval?.upper?.toFixed(1) ?? "infinity"} %`
        : `${row.name} not computed`,
    )
    .join("; ")}`;
  return (
    <Plot label={label} height={height}>
      <ZeroLine from={{ x: x(0), y: MARGIN.top }} to={{ x: x(0), y: height - MARGIN.bottom }} />
      {compared.map(({ row, color }) => {
        const top = y(row.variationId) ?? 0;
        const middle = top + y.bandwidth() / 2;
        return (
          <g key={row.variationId}>
            <text
              x={MARGIN.left + 72}
              y={middle + 4}
              textAnchor="end"
              fontSize={12}
              fill="var(--mantine-color-text)"
            >
              {row.name.length > 12 ? `${row.name.slice(0, 11)}…` : row.name}
            </text>
            {row.interval ? (
              <rect
                x={x(row.interval.lower ?? xLow)}
                y={top}
                width={Math.max(1, x(row.interval.upper ?? xHigh) - x(row.interval.lower ?? xLow))}
                height={y.bandwidth()}
                fill={color}
                fillOpacity={0.35}
              />
            ) : null}
            {finite(row.lift) ? (
              <Line
                from={{ x: x(row.lift), y: top - 3 }}
                to={{ x: x(row.lift), y: top + y.bandwidth() + 3 }}
                stroke={color}
                strokeWidth={3}
              />
            ) : null}
          </g>
        );
      })}
      <AxisBottom scale={x} top={height - MARGIN.bottom} numTicks={6} tickFormat={(v) => `${v} %`} />
    </Plot>
  );
}

/** The Bayesian lift distribution of each variation (normal through its credible interval). */
export function LiftDistributionChart({
  rows,
  colors,
  goalName,
}: {
  rows: VariationRow[];
  colors: string[];
  goalName: string;
}) {
  const curves = rows
    .map((row, i) => ({ row, color: colors[i] as string, density: liftDensity(row.credibleInterval) }))
    .filter((c) => !c.row.reference && c.density);
  if (curves.length === 0) return <Text size="sm">No credible interval to draw (too little data).</Text>;
  const all = curves.flatMap((c) => c.density ?? []);
  const x = scaleLinear({
    domain: domainOf(
      all.map((p) => p.lift),
      true,
    ),
    range: [MARGIN.left, WIDTH - MARGIN.right],
  });
  const y = scaleLinear({
    domain: [0, Math.max(...all.map((p) => p.density))],
    range: [HEIGHT - MARGIN.bottom, MARGIN.top],
  });
  const label = `Bayesian distribution of the lift of ${goalName}: ${curves
    .map(
      ({ row }) =>
        `${row.name} 95 % credible from ${row.credibleInterval?.lower?.toFixed(1)} % to ${row.credibleInterval?.upper?.toFixed(1)} %, chance to beat the reference ${row.chanceToBeatReference?.toFixed(1) ?? "unknown"} %`,
    )
    .join("; ")}`;
  return (
    <div>
      <Plot label={label}>
        {curves.map(({ row, color, density }) => (
          <Area
            key={row.variationId}
            data={density ?? []}
            x={(p) => x(p.lift)}
            y0={y(0)}
            y1={(p) => y(p.density)}
            fill={color}
            fillOpacity={0.3}
            stroke={color}
          />
        ))}
        <ZeroLine from={{ x: x(0), y: MARGIN.top }} to={{ x: x(0), y: HEIGHT - MARGIN.bottom }} />
        <AxisBottom scale={x} top={HEIGHT - MARGIN.bottom} numTicks={6} tickFormat={(v) => `${v} %`} />
      </Plot>
      <Text size="xs" c="dimmed">
        Drawn as a normal curve through each 95 % credible interval.
      </Text>
    </div>
  );
}
