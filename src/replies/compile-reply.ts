/**
 * @module A static `reply:` block from the config, compiled once into a renderer.
 * Every string anywhere in it (text, data, contexts[].params, native, …) may hold
 * `{{ … }}`; sub-trees without templates are built once and shared between calls
 * (the config is frozen, so sharing is safe), templated ones are rebuilt per turn.
 */
import type { Reply, Turn } from "../types.js";
import { checkTemplate, compileTemplate, hasTemplate, TemplateError } from "./compile-template.js";
import { setOwn } from "../platforms/json.js";

/** A template problem in a reply, at a sub-path such as `contexts[0].params.city`. */
interface ReplyProblem {
  path: string;
  message: string;
}

/** Renders a value for one turn; `constant` is set when it never changes. */
type Node = { constant: true; value: unknown } | { constant: false; render: (turn: Turn) => unknown };

/**
 * Compile a `reply:` object once; each call returns a fresh Reply object.
 * @throws TemplateError (message prefixed with the sub-path) on bad template syntax;
 *   run `checkReply` first to report every problem as a config issue.
 * @example
 * const render = compileReply({ text: "Hi {{ params.name | default: 'friend' }}" });
 * render(turn); // { text: "Hi Ada" }
 */
export function compileReply(reply: Readonly<Record<string, unknown>>): (turn: Turn) => Reply {
  const entries = Object.keys(reply).map((key) => [key, compileNode(reply[key], key)] as const);
  return (turn) => {
    const out: Record<string, unknown> = {};
    for (const [key, node] of entries) setOwn(out, key, node.constant ? node.value : node.render(turn));
    return out as Reply;
  };
}

/**
 * Every template syntax problem in a `reply:` object, with its sub-path.
 * @example checkReply({ contexts: [{ name: "c", params: { city: "{{ params.city" } }] })
 * // [{ path: "contexts[0].params.city", message: 'unclosed "{{" at character 1' }]
 */
export function checkReply(reply: Readonly<Record<string, unknown>>): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  walk(reply, "", problems);
  return problems;
}

function walk(value: unknown, path: string, problems: ReplyProblem[]): void {
  if (typeof value === "string") {
    const message = checkTemplate(value);
    if (message !== undefined) problems.push({ path, message });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, problems));
  } else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], join(path, key), problems);
  }
}

function compileNode(value: unknown, path: string): Node {
  if (typeof value === "string") {
    if (!hasTemplate(value)) return { constant: true, value };
    try {
      return { constant: false, render: compileTemplate(value) };
    } catch (error) {
      if (error instanceof TemplateError) throw new TemplateError(`${path}: ${error.message}`, error.offset);
      throw error;
    }
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileNode(item, `${path}[${i}]`));
    if (items.every((n) => n.constant)) return { constant: true, value };
    return {
      constant: false,
      render: (turn) => items.map((n) => (n.constant ? n.value : n.render(turn))),
    };
  }
  if (typeof value === "object" && value !== null) {
    const source = value as Record<string, unknown>;
    const entries = Object.keys(source).map((key) => [key, compileNode(source[key], join(path, key))] as const);
    if (entries.every(([, n]) => n.constant)) return { constant: true, value };
    return {
      constant: false,
      render: (turn) => {
        const out: Record<string, unknown> = {};
        for (const [key, n] of entries) setOwn(out, key, n.constant ? n.value : n.render(turn));
        return out;
      },
    };
  }
  return { constant: true, value };
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

