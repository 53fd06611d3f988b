import type { FastifyInstance } from "fastify";
import { Compile } from "typebox/compile";

// Checks every response a test server sends against its route's response schema, before serialisation.
// Fastify serialises with fast-json-stringify, which silently drops properties a schema does not declare:
// here an undeclared property is a violation (objects are closed unless they are maps), so a view that
// emits a field its schema forgot fails the test file that produced it, whatever that test asserts.

type JsonSchema = Record<string, unknown>;

/** A copy of `schema` in which every object with declared properties refuses others. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== "object" || schema === null) return schema;
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = closed(value);
  if (copy.properties && copy.additionalProperties === undefined && copy.patternProperties === undefined)
    copy.additionalProperties = false;
  return copy;
}

/** The schema declared for a status: exact code, then `4xx`-style range, then `default`. */
function schemaFor(responses: Record<string, unknown>, status: number): unknown {
  return responses[String(status)] ?? responses[`${Math.floor(status / 100)}xx`] ?? responses.default;
}

/** Installs the check on a server's app (before it is ready); `violations()` lists what did not match. */
export function checkResponses(app: FastifyInstance) {
  const violations: string[] = [];
  const compiled = new WeakMap<object, ReturnType<typeof Compile>>();
  app.addHook("preSerialization", async (request, reply, payload) => {
    const responses = request.routeOptions.schema?.response as Record<string, unknown> | undefined;
    if (!responses) return payload;
    const where = `${request.method} ${request.routeOptions.url} -> ${reply.statusCode}`;
    const schema = schemaFor(responses, reply.statusCode);
    if (typeof schema !== "object" || schema === null) {
      violations.push(`${where}: no response schema for this status`);
      return payload;
    }
    let check = compiled.get(schema);
    if (!check) {
      check = Compile(closed(schema) as never);
      compiled.set(schema, check);
    }
    const plain = JSON.parse(JSON.stringify(payload));
    if (!check.Check(plain)) {
      const errors = [...check.Errors(plain)].slice(0, 5).map((e) => `${e.instancePath} ${e.message}`);
      violations.push(`${where}: ${errors.join("; ")}`);
    }
    return payload;
  });
  return { violations: () => [...violations] };
}
