import { Code, Table } from "@mantine/core";
import { type diffJson, showValue } from "./history-diff.js";

/** An audit entry's changed fields, before and after, as the flag history and the audit log show them. */
export function DiffTable(props: { label: string; changes: ReturnType<typeof diffJson>; whole: string }) {
  return (
    <Table aria-label={props.label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Field</Table.Th>
          <Table.Th>Before</Table.Th>
          <Table.Th>After</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.changes.map((c) => (
          <Table.Tr key={c.path}>
            <Table.Td>
              <Code>{c.path || props.whole}</Code>
            </Table.Td>
            <Table.Td c="red.9">{showValue(c.before)}</Table.Td>
            <Table.Td c="teal.9">{showValue(c.after)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
