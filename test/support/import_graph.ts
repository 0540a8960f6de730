// Reads the relative imports of src/ (type-only ones too: they tie modules together as well)
// and checks them against a declared order of layers.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** Graph maps each source file (relative to the root, e.g. "src/deps.ts") to the files it imports. */
export type Graph = Map<string, string[]>;

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveImport(root: string, from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const base = normalize(join(dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    try {
      if (statSync(join(root, candidate)).isFile()) return candidate;
    } catch {}
  }
  return null;
}

/** importGraph reads every .ts file under root/dir; imports of packages and non-code files are left out. */
export function importGraph(root: string, dir = "src"): Graph {
  const graph: Graph = new Map();
  for (const path of sourceFiles(join(root, dir))) {
    const file = relative(root, path);
    const text = readFileSync(path, "utf8").replace(/^\s*\/\/.*$/gm, "");
    const targets = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const target = resolveImport(root, file, m[1] ?? m[2]!);
      if (target && /\.tsx?$/.test(target)) targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** circles answers the strongly connected groups of more than one file (Tarjan's algorithm), each sorted. */
export function circles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** layerOf answers the layer of the most specific entry naming the file or a folder holding it (a file beats its folder), or -1. */
export function layerOf(layers: string[][], file: string): number {
  let best = -1;
  let bestLength = -1;
  layers.forEach((entries, layer) => {
    for (const e of entries) {
      const matches = file === e || file.startsWith(e.endsWith("/") ? e : `${e}/`);
      if (matches && e.length > bestLength) [best, bestLength] = [layer, e.length];
    }
  });
  return best;
}

/** upwardImports answers every import from a file to one in a higher layer ("a -> b"), and files in no layer. */
export function upwardImports(graph: Graph, layers: string[][]): { upward: string[]; unplaced: string[] } {
  const upward: string[] = [];
  const unplaced = new Set<string>();
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(layers, from);
    if (fromLayer < 0) unplaced.add(from);
    for (const to of targets) {
      const toLayer = layerOf(layers, to);
      if (toLayer < 0) unplaced.add(to);
      else if (fromLayer >= 0 && toLayer > fromLayer) upward.push(`${from} -> ${to}`);
    }
  }
  return { upward, unplaced: [...unplaced] };
}
