/**
 * @module Path → line:column in the parsed YAML document, so every issue can point at
 * the text. Follows aliases and `<<` merge keys; a path that does not reach a node
 * (a missing key) gets the position of the nearest node above it.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from "yaml";
import type { PathSegment } from "./issue-path.js";

export interface Position {
  line: number;
  col: number;
}

/** Where `path` is; with `key`, where that key of the object at `path` is written. */
export type Locate = (path: readonly PathSegment[], key?: string) => Position | undefined;

export function yamlLocator(doc: Document, lineCounter: LineCounter): Locate {
  const at = (node: Node | null | undefined): Position | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]) : undefined;

  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);

  const findPair = (map: unknown, key: string, depth = 0): Pair | undefined => {
    const node = resolve(map);
    if (!isMap(node) || depth > 20) return undefined;
    const pairs = node.items as Pair[];
    const direct = pairs.find((pair) => keyText(pair.key) === key);
    if (direct) return direct;
    for (const pair of pairs) {
      if (keyText(pair.key) !== "<<") continue;
      const sources = isSeq(resolve(pair.value)) ? (resolve(pair.value) as { items: unknown[] }).items : [pair.value];
      for (const source of sources) {
        const found = findPair(source, key, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };

  return (path, key) => {
    let node = resolve(doc.contents) as Node | null;
    let best = at(node);
    for (const segment of path) {
      let next: Node | null | undefined;
      if (isSeq(node) && typeof segment === "number") next = node.items[segment] as Node | undefined;
      else if (isMap(node)) {
        const pair = findPair(node, String(segment));
        // `key:` with nothing after it: the key is the best place to point at.
        if (pair) next = hasRange(pair.value) ? (pair.value as Node) : (pair.key as Node);
      }
      if (!next) return best;
      node = resolve(next) as Node | null;
      best = at(next) ?? best;
    }
    if (key !== undefined) {
      const pair = findPair(node, key);
      return at(pair?.key as Node | undefined) ?? best;
    }
    return best;
  };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

function hasRange(node: unknown): boolean {
  const range = (node as Node | null | undefined)?.range;
  // An empty value gets a zero-width range at the end of its line.
  return !!range && range[1] > range[0];
}
