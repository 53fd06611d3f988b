import { Badge, Tooltip } from "@mantine/core";

const meaning: Record<string, { color: string; text: string }> = {
  HEALTHY: { color: "teal.9", text: "Edited or evaluated recently" },
  PERMANENT: { color: "blue.9", text: "Meant to stay (an operational or permission flag)" },
  STALE: { color: "yellow.9", text: "Not edited or evaluated for a while: a candidate for removal" },
  SMELLY: { color: "red.9", text: "Fully rolled out or never evaluated: clean it up" },
};

/** A flag's health with its meaning on hover. */
export function HealthBadge({ health }: { health: string }) {
  const m = meaning[health] ?? { color: "gray", text: health };
  return (
    <Tooltip label={m.text}>
      {/* Filled dark shades with automatic text colour: every badge meets WCAG AA contrast. */}
      <Badge color={m.color} variant="filled" autoContrast size="sm">
        {health.toLowerCase()}
      </Badge>
    </Tooltip>
  );
}
