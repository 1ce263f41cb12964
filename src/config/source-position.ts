/**
 * @module Where a config node was written. A loaded file's positions are located when first
 * asked, so a load reads them only for the issues that need one (read-yaml.ts parses the
 * document then), not for every route of every load; the path's text is made when first
 * read too (10,000 routes held ~3.7 MB of path strings). Object spreads copy nothing of it
 * (`positionOf` gives path and line:col), and deepFreeze leaves a LazyPosition alone, since
 * it fills its cache later.
 */
import { formatPath, type PathSegment } from "./issue-path.js";
import type { SourcePosition } from "./types.js";
import type { Locate, Position } from "./yaml-locator.js";

interface Lookup {
  segments: readonly PathSegment[];
  locate: Locate;
  found: Position | undefined | null;
  path: string | undefined;
}

export class LazyPosition implements SourcePosition {
  declare private readonly lookup: Lookup;

  constructor(segments: readonly PathSegment[], locate: Locate) {
    Object.defineProperty(this, "lookup", { value: { segments, locate, found: null, path: undefined } satisfies Lookup, enumerable: false });
  }

  get path(): string {
    const lookup = this.lookup;
    return (lookup.path ??= formatPath(lookup.segments));
  }

  get line(): number | undefined {
    return this.where()?.line;
  }

  get col(): number | undefined {
    return this.where()?.col;
  }

  /** The position of a node below this one, located lazily too. */
  below(segments: readonly PathSegment[]): LazyPosition {
    return new LazyPosition([...this.lookup.segments, ...segments], this.lookup.locate);
  }

  private where(): Position | undefined {
    const lookup = this.lookup;
    if (lookup.found === null) lookup.found = lookup.locate(lookup.segments);
    return lookup.found;
  }
}

/**
 * Where a node below `at` was written, for an issue found after loading (a filter the router
 * cannot compile): `positionAt(route.at, ["when", 0, "matches"])`.
 */
export function positionAt(at: SourcePosition, segments: readonly PathSegment[]): SourcePosition {
  if (at instanceof LazyPosition) return positionOf(at.below(segments));
  // "x" stands in for the path already written: formatPath then writes the rest as it would.
  return { path: at.path + formatPath(["x", ...segments]).slice(1) };
}

/** A position as a plain object (path, and line:col where known), for an issue to carry. */
export function positionOf(at: SourcePosition): SourcePosition {
  const { line, col } = at;
  return line === undefined ? { path: at.path } : { path: at.path, line, col };
}
