import { Badge, Table, Text, Tooltip } from "@mantine/core";
import { intervalText, percent, type VariationRow } from "./results-logic.js";

function valueText(row: VariationRow): string {
  if (row.value === null) return "–";
  return row.kind === "rate" ? percent(row.value * 100, false, 2) : row.value.toFixed(2);
}

function verdict(row: VariationRow) {
  if (row.reference)
    return (
      <Badge autoContrast size="sm" color="gray.8">
        Reference
      </Badge>
    );
  if (row.significant === true)
    return (
      <Badge autoContrast size="sm" color={(row.lift ?? 0) >= 0 ? "teal.9" : "red.9"}>
        {(row.lift ?? 0) >= 0 ? "Better" : "Worse"}
      </Badge>
    );
  if (row.significant === false)
    return (
      <Badge autoContrast size="sm" color="gray.7">
        Not significant
      </Badge>
    );
  return <Text size="xs">–</Text>;
}

/**
 * One goal's numbers per variation: units, the analysed value, the lift with its interval (the verdict's
 * own), p-value, Bayesian chances and credible interval, the sequential interval, CUPED.
 */
export function ResultsTable({
  rows,
  caption,
  unitLabel,
  bayesian,
  sequential,
  cuped,
}: {
  rows: VariationRow[];
  caption: string;
  unitLabel: string;
  bayesian: boolean;
  sequential: boolean;
  cuped: boolean;
}) {
  const kind = rows[0]?.kind ?? "rate";
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Variation</Table.Th>
            <Table.Th>{unitLabel}</Table.Th>
            <Table.Th>Converted</Table.Th>
            <Table.Th>{kind === "rate" ? "Conversion rate" : "Mean per unit"}</Table.Th>
            <Table.Th>Lift</Table.Th>
            <Table.Th>Interval (95 %)</Table.Th>
            <Table.Th>p-value</Table.Th>
            {bayesian ? <Table.Th>Chance to beat reference</Table.Th> : null}
            {bayesian ? <Table.Th>Chance to be best</Table.Th> : null}
            {bayesian ? <Table.Th>Credible interval</Table.Th> : null}
            {sequential ? <Table.Th>Sequential interval</Table.Th> : null}
            {cuped ? <Table.Th>CUPED</Table.Th> : null}
            <Table.Th>Verdict</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.variationId}>
              <Table.Td>
                {row.name}
                {row.warnings.length > 0 ? (
                  <Tooltip label={row.warnings.join("; ")} multiline w={320}>
                    <Badge autoContrast ml="xs" size="xs" color="yellow.9" tabIndex={0}>
                      too little data
                    </Badge>
                  </Tooltip>
                ) : null}
              </Table.Td>
              <Table.Td>{row.units.toLocaleString()}</Table.Td>
              <Table.Td>{row.converted.toLocaleString()}</Table.Td>
              <Table.Td>{valueText(row)}</Table.Td>
              <Table.Td>{row.reference ? "–" : percent(row.lift, true)}</Table.Td>
              <Table.Td>{row.reference ? "–" : intervalText(row.interval)}</Table.Td>
              <Table.Td>{row.reference || row.pValue === null ? "–" : row.pValue.toPrecision(3)}</Table.Td>
              {bayesian ? (
                <Table.Td>{row.reference ? "–" : percent(row.chanceToBeatReference)}</Table.Td>
              ) : null}
              {bayesian ? <Table.Td>{percent(row.chanceToBeBest)}</Table.Td> : null}
              {bayesian ? (
                <Table.Td>{row.reference ? "–" : intervalText(row.credibleInterval)}</Table.Td>
              ) : null}
              {sequential ? (
                <Table.Td>{row.reference ? "–" : intervalText(row.sequentialInterval)}</Table.Td>
              ) : null}
              {cuped ? (
                <Table.Td>
                  {row.cuped
                    ? row.cuped.applied
                      ? `applied, variance −${percent(row.cuped.varianceReduction)}`
                      : `not applied: ${row.cuped.reason ?? "no reason given"}`
                    : "–"}
                </Table.Td>
              ) : null}
              <Table.Td>{verdict(row)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
