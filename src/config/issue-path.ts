/**
 * @module Paths into the config, as segments and as the text users read
 * (`webhooks[0].routes[2].intent`), and the issue shape the loader collects before
 * positions are attached.
 */

export type PathSegment = string | number;

/** A config problem found by a stage of the loader; load-config.ts adds line:column. */
export interface PathIssue {
  path: readonly PathSegment[];
  message: string;
  /** Point at this key of the object at `path` (unknown keys) instead of at the value. */
  key?: string;
  /** A file the problem is about (a missing handler module). */
  file?: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * @example formatPath(["webhooks", 0, "routes", 2, "intent"]) // "webhooks[0].routes[2].intent"
 */
export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * A JSON pointer (ajv's instancePath) as segments; indexes of arrays in `data` become numbers.
 * @example pointerToPath("/webhooks/0/path", { webhooks: [{}] }) // ["webhooks", 0, "path"]
 */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === "") return [];
  const path: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      const index = Number(segment);
      path.push(index);
      node = node[index];
    } else {
      path.push(segment);
      node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}
