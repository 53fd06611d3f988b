// How a Vexil evaluation becomes one OFREP `value` (docs/ofrep.md). OFREP answers one value per flag while a
// Vexil variation carries any number of typed variables; the shape is decided per flag (never per
// variation), so every answer of a flag has the same JSON type and OpenFeature's typed getters keep working.

import type { CompiledFlag, EvaluationResult } from "@vexil/engine";

/** How the values of one flag are shaped. */
export type ValueShape =
  /** The flag defines exactly one variable: its typed value. */
  | { kind: "variable"; key: string }
  /** No variables, every variation is "on" or "off": a boolean, true for "on". */
  | { kind: "boolean" }
  /** No variables, other variation keys: the variation key as a string. */
  | { kind: "variation" }
  /** Two or more variables: an object of every variable by key. */
  | { kind: "object" };

const shapes = new WeakMap<object, ValueShape>();

function variableKeys(flag: Pick<CompiledFlag, "variables" | "variations">): Set<string> {
  const keys = new Set<string>();
  for (const variable of Array.isArray(flag.variables) ? flag.variables : []) {
    if (variable && typeof variable.key === "string") keys.add(variable.key);
  }
  for (const variation of Array.isArray(flag.variations) ? flag.variations : []) {
    for (const variable of Array.isArray(variation?.variables) ? variation.variables : []) {
      if (variable && typeof variable.key === "string") keys.add(variable.key);
    }
  }
  return keys;
}

/** The value shape of a flag (remembered per compiled flag object, which a payload never mutates). */
export function valueShape(flag: Pick<CompiledFlag, "variables" | "variations">): ValueShape {
  let shape = shapes.get(flag);
  if (shape) return shape;
  const keys = [...variableKeys(flag)];
  if (keys.length === 1) shape = { kind: "variable", key: keys[0]! };
  else if (keys.length > 1) shape = { kind: "object" };
  else {
    const variations = Array.isArray(flag.variations) ? flag.variations : [];
    const onOff = variations.length > 0 && variations.every((v) => v?.key === "on" || v?.key === "off");
    shape = onOff ? { kind: "boolean" } : { kind: "variation" };
  }
  shapes.set(flag, shape);
  return shape;
}

/** The OFREP value of a successful evaluation. */
export function ofrepValue(shape: ValueShape, result: EvaluationResult): unknown {
  switch (shape.kind) {
    case "variable":
      return result.variables[shape.key] ?? null;
    case "object":
      return result.variables;
    case "boolean":
      return result.variationKey === "on";
    case "variation":
      return result.variationKey;
  }
}
