import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The folder rules of docs/architecture.md, read from the imports of packages/server/src (tests and test
// support included). TypeScript's own pre-processor lists each file's imports, so comments and strings that
// look like imports are not counted.

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src");

interface Edge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The capability folder of a file under src, or undefined for a top-level file (the composition root). */
function folderOf(file: string): string | undefined {
  const relative = path.relative(SRC, file);
  return relative.includes(path.sep) ? relative.split(path.sep)[0] : undefined;
}

/**
 * Every import from one folder of src into another. Table row types (`*.tables.ts`) are storage's schema:
 * storage/schema.ts gathers them into the Database type, so those type-only edges into a capability are the
 * schema's, not a dependency of storage on that capability.
 */
function folderEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    if (!from) continue;
    const text = fs.readFileSync(file, "utf8");
    for (const reference of ts.preProcessFile(text, true, true).importedFiles) {
      const specifier = reference.fileName;
      if (!specifier.startsWith(".")) continue;
      const target = path.resolve(path.dirname(file), specifier.replace(/\.js$/, ".ts"));
      const to = folderOf(target);
      if (!to || to === from || path.relative(SRC, target).startsWith("..")) continue;
      if (from === "storage" && target.endsWith(".tables.ts")) continue;
      edges.push({ from, to, file: path.relative(SRC, file), specifier });
    }
  }
  return edges;
}

/** Strongly connected folder groups of more than one folder (Tarjan): each one is an import cycle. */
function cycles(edges: Edge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (!graph.has(edge.from)) graph.set(edge.from, new Set());
    if (!graph.has(edge.to)) graph.set(edge.to, new Set());
    graph.get(edge.from)!.add(edge.to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return groups;
}

describe("server folders", () => {
  const edges = folderEdges();

  it("finds the imports between folders (the check reads real code)", () => {
    // Flags read segments when compiling a payload: an edge that exists by design.
    expect(edges.some((e) => e.from === "flags" && e.to === "segments")).toBe(true);
  });

  it("have no import cycle between them", () => {
    const found = cycles(edges).map((group) => {
      const inside = edges.filter((e) => group.includes(e.from) && group.includes(e.to));
      return `${group.join(" <-> ")}:\n${inside.map((e) => `    ${e.file} imports ${e.specifier}`).join("\n")}`;
    });
    expect(found, `import cycles between folders of packages/server/src:\n${found.join("\n")}`).toEqual([]);
  });

  it("keep shared HTTP helpers free of capabilities", () => {
    const wrong = edges.filter((e) => e.from === "http").map((e) => `${e.file} imports ${e.specifier}`);
    expect(wrong).toEqual([]);
  });

  it("import no routes file from another folder (routes are mounted by app.ts only)", () => {
    const wrong = edges
      .filter((e) => /\.routes\.js$/.test(e.specifier))
      .map((e) => `${e.file} imports ${e.specifier}`);
    expect(wrong).toEqual([]);
  });
});

/**
 * The stores a routes file imports for their values (functions), not only their types: routes call services,
 * which own the rules and transactions (docs/architecture.md, "Adding a capability").
 */
function storeValueImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (!/\.store\.js$/.test(specifier)) continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    const values =
      clause.name !== undefined ||
      (bindings !== undefined &&
        (ts.isNamespaceImport(bindings) || bindings.elements.some((element) => !element.isTypeOnly)));
    if (values) found.push(`${path.relative(SRC, file)} imports ${specifier}`);
  }
  return found;
}

describe("routes files", () => {
  const routes = sourceFiles(SRC).filter((file) => file.endsWith(".routes.ts"));

  it("are found (the check reads real files)", () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  it("call services, never a store (they may import a store's types)", () => {
    expect(routes.flatMap(storeValueImports)).toEqual([]);
  });
});

/** TypeScript files under `dir`, node_modules and generated files (from OpenAPI) excluded. */
function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : typeScriptFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".generated.ts") ? [full] : [];
  });
}

/** Every TypeScript file under packages/<name>/src, then those under packages/<name>/test. */
function packageFiles(folder: "src" | "test"): string[] {
  const packages = path.resolve(SRC, "../..");
  return fs
    .readdirSync(packages, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(packages, entry.name, folder)))
    .flatMap((entry) => typeScriptFiles(path.join(packages, entry.name, folder)));
}

describe("source files", () => {
  const files = packageFiles("src");
  // Tests and benches follow the same size rule as the code they exercise.
  const all = [...files, ...packageFiles("test"), ...typeScriptFiles(path.resolve(SRC, "../../../bench"))];

  it("are found in every package (the check reads real files)", () => {
    const names = files.map((f) => path.relative(path.resolve(SRC, "../.."), f).split(path.sep)[0]);
    expect(new Set(names)).toEqual(new Set(["engine", "stats", "sdk", "server", "web"]));
  });

  it("are at most 600 lines each, tests and benches too (split a larger one by responsibility)", () => {
    const over = all
      .map((file) => {
        const text = fs.readFileSync(file, "utf8");
        return { file, lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0) };
      })
      .filter(({ lines }) => lines > 600)
      .map(({ file, lines }) => `${path.relative(path.resolve(SRC, "../.."), file)}: ${lines} lines`);
    expect(over, `files over 600 lines:\n${over.join("\n")}`).toEqual([]);
  });
});
