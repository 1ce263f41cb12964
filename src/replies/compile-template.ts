/**
 * @module `{{ path }}` and `{{ path | default: "x" }}` in reply strings, compiled once into
 * literal parts and path getters over the normalized Turn.
 *
 * Why our own ~150 lines and not liquidjs/handlebars/mustache: we need exactly one filter,
 * Dialogflow's hyphenated names (`params.geo-city`, which those engines parse as minus or
 * reject), own-property-only path reads (shared with routing's json-path), a fixed set of
 * readable roots (never `headers`), and no code evaluation or helpers at all. A value from
 * the request is concatenated as text, never parsed again, so a param holding `{{ x }}`
 * stays literal. Rendering is one loop over precompiled parts.
 */
import type { Turn } from "../types.js";
import { compilePath, type PathGetter } from "../routing/json-path.js";

/** A template with bad syntax: unclosed `{{`, empty `{{ }}`, unknown variable or filter. */
export class TemplateError extends Error {
  /** 0-based index in the source where the problem is. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = "TemplateError";
    this.offset = offset;
  }
}

/** A compiled template. */
type TemplateRenderer = (turn: Turn) => string;

/** Roots a template may read, and whether a path may go below them. */
const ROOTS: Readonly<Record<string, "leaf" | "tree">> = {
  params: "tree",
  raw: "tree",
  text: "leaf",
  intent: "leaf",
  action: "leaf",
  event: "leaf",
  tag: "leaf",
  lang: "leaf",
  platform: "leaf",
};
const ROOT_LIST = "params.NAME, text, intent, action, event, tag, session.id, session.values.NAME, lang, platform, raw.PATH";

const OPEN = "{{";
const CLOSE = "}}";
/** Characters that end a path: whitespace, `|`, `}`, `{`, quotes. */
const PATH_CHAR = /[^\s|{}'"]/;
const WS = /\s/;

interface Expression {
  get: PathGetter;
  fallback: string | undefined;
}

/** True when `source` has a `{{` and so needs compiling; other strings are constants. */
export function hasTemplate(source: string): boolean {
  return source.includes(OPEN);
}

/**
 * Compile a template once; the renderer reads the turn and returns a fresh string.
 * Missing values (undefined, null) render empty; objects and arrays render as JSON;
 * `default` applies when the value is missing, `""` or `[]` (Dialogflow sends unfilled
 * parameters as `""`).
 * @throws TemplateError on bad syntax.
 * @example
 * const hi = compileTemplate('Hi {{ params.given-name | default: "friend" }}!');
 * hi(turn); // "Hi Ada!"
 */
export function compileTemplate(source: string): TemplateRenderer {
  const { literals, expressions } = parseTemplate(source);
  if (expressions.length === 0) {
    const constant = literals[0] as string;
    return () => constant;
  }
  const n = expressions.length;
  return (turn) => {
    let out = literals[0] as string;
    for (let i = 0; i < n; i++) {
      const e = expressions[i] as Expression;
      out += render(e.get(turn), e.fallback) + (literals[i + 1] as string);
    }
    return out;
  };
}

/**
 * The syntax problem in `source`, or undefined when it compiles.
 * @example checkTemplate("Hi {{ params.name") // 'unclosed "{{" at character 4'
 */
export function checkTemplate(source: string): string | undefined {
  try {
    parseTemplate(source);
    return undefined;
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
}

function render(value: unknown, fallback: string | undefined): string {
  if (fallback !== undefined && isEmpty(value)) return fallback;
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Split into literals and expressions: `literals.length === expressions.length + 1`. */
function parseTemplate(source: string): { literals: string[]; expressions: Expression[] } {
  const literals: string[] = [];
  const expressions: Expression[] = [];
  let from = 0;
  for (;;) {
    const open = source.indexOf(OPEN, from);
    if (open === -1) break;
    literals.push(source.slice(from, open));
    const { expression, end } = parseExpression(source, open);
    expressions.push(expression);
    from = end;
  }
  literals.push(source.slice(from));
  return { literals, expressions };
}

/** Parse `{{ path [| default: "x"] }}` starting at `open`; returns the index after `}}`. */
function parseExpression(source: string, open: number): { expression: Expression; end: number } {
  let i = open + OPEN.length;
  const at = (n: number) => `at character ${n + 1}`;
  const skipSpace = () => {
    while (i < source.length && WS.test(source[i] as string)) i++;
  };
  const expectClose = () => {
    skipSpace();
    if (source.startsWith(CLOSE, i)) return i + CLOSE.length;
    if (i >= source.length) throw new TemplateError(`unclosed "{{" ${at(open)}`, open);
    throw new TemplateError(`unexpected ${JSON.stringify(source[i])} ${at(i)}, expected "}}"`, i);
  };

  skipSpace();
  const pathStart = i;
  while (i < source.length && PATH_CHAR.test(source[i] as string)) i++;
  const path = source.slice(pathStart, i);
  if (path === "") {
    if (i >= source.length) throw new TemplateError(`unclosed "{{" ${at(open)}`, open);
    if (source.startsWith(CLOSE, i)) throw new TemplateError(`empty "{{ }}" ${at(open)}`, open);
    throw new TemplateError(`unexpected ${JSON.stringify(source[i])} ${at(i)}, expected a path like params.name`, i);
  }
  const get = compileTurnPath(path, pathStart);

  skipSpace();
  let fallback: string | undefined;
  if (source[i] === "|") {
    i++;
    skipSpace();
    const nameStart = i;
    while (i < source.length && /[A-Za-z0-9_]/.test(source[i] as string)) i++;
    const name = source.slice(nameStart, i);
    if (name !== "default") {
      throw new TemplateError(
        name === "" ? `missing filter name after "|" ${at(nameStart)}` : `unknown filter "${name}" ${at(nameStart)} (only "default" is supported)`,
        nameStart,
      );
    }
    skipSpace();
    if (source[i] !== ":") throw new TemplateError(`"default" needs a value ${at(i)}, like default: "friend"`, i);
    i++;
    skipSpace();
    const { value, end } = parseString(source, i);
    fallback = value;
    i = end;
  }
  return { expression: { get, fallback }, end: expectClose() };
}

/** A single- or double-quoted string; `\` escapes the next character. */
function parseString(source: string, start: number): { value: string; end: number } {
  const quote = source[start];
  if (quote !== '"' && quote !== "'") {
    throw new TemplateError(`"default" needs a quoted string at character ${start + 1}, like default: "friend"`, start);
  }
  let value = "";
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i] as string;
    if (c === "\\" && i + 1 < source.length) value += source[++i];
    else if (c === quote) return { value, end: i + 1 };
    else value += c;
  }
  throw new TemplateError(`unclosed string at character ${start + 1}`, start);
}

/** Check the root of a template path, then compile it as a json-path over the turn. */
function compileTurnPath(path: string, offset: number): PathGetter {
  const segments = path.split(".");
  if (segments.some((s) => s === "")) throw new TemplateError(`empty segment in "${path}" at character ${offset + 1}`, offset);
  const root = segments[0] as string;
  const where = `at character ${offset + 1}`;
  if (root === "session") {
    const field = segments[1];
    const ok = (field === "id" && segments.length === 2) || field === "values";
    if (!ok) throw new TemplateError(`unknown variable "${path}" ${where} (use session.id or session.values.NAME)`, offset);
  } else {
    const kind = Object.hasOwn(ROOTS, root) ? ROOTS[root] : undefined;
    if (kind === undefined) throw new TemplateError(`unknown variable "${path}" ${where} (use ${ROOT_LIST})`, offset);
    if (kind === "leaf" && segments.length > 1) throw new TemplateError(`"${root}" is text and has no fields ("${path}" ${where})`, offset);
  }
  return compilePath(path);
}
