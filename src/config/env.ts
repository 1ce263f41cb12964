/**
 * @module `${NAME}` and `${NAME:-default}` in config strings, replaced from the environment
 * before validation. A missing variable is an issue naming the variable, never a value.
 * `$${` writes a literal `${`.
 */
import type { PathIssue, PathSegment } from "./issue-path.js";

export type Env = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One string expanded: the text and what went wrong (names only). */
interface ExpandedString {
  value: string;
  /** Variables that are not set and have no default. */
  missing: string[];
  /** Syntax problems, such as an unclosed `${`. */
  errors: string[];
}

/**
 * Expand one string. `${A:-x}` uses `x` when A is unset or empty (as in a shell).
 * @example expandEnvString("Bearer ${TOKEN}", { TOKEN: "t" }).value // "Bearer t"
 */
export function expandEnvString(text: string, env: Env): ExpandedString {
  const missing: string[] = [];
  const errors: string[] = [];
  let value = "";
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf("$", i);
    if (start === -1) {
      value += text.slice(i);
      break;
    }
    value += text.slice(i, start);
    if (text.startsWith("$${", start)) {
      value += "${";
      i = start + 3;
      continue;
    }
    if (!text.startsWith("${", start)) {
      value += "$";
      i = start + 1;
      continue;
    }
    const end = text.indexOf("}", start + 2);
    if (end === -1) {
      errors.push('unclosed "${" (write "$${" for a literal "${")');
      value += text.slice(start);
      break;
    }
    const body = text.slice(start + 2, end);
    const sep = body.indexOf(":-");
    const name = sep === -1 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      errors.push(`invalid environment variable name "${name}" (write "$\${" for a literal "\${", e.g. "$\${{ params.price }}")`);
    } else {
      const found = env[name];
      if (sep !== -1 && (found === undefined || found === "")) value += body.slice(sep + 2);
      else if (found !== undefined) value += found;
      else if (!missing.includes(name)) missing.push(name);
    }
    i = end + 1;
  }
  return { value, missing, errors };
}

/**
 * A copy of `value` with every string (not keys) expanded, and one issue per missing
 * variable or syntax problem. Missing variables expand to "".
 */
export function substituteEnv(value: unknown, env: Env): { value: unknown; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === "string") {
      if (!node.includes("$")) return node;
      const expanded = expandEnvString(node, env);
      for (const name of expanded.missing) issues.push({ path, message: `environment variable ${name} is not set` });
      for (const message of expanded.errors) issues.push({ path, message });
      return expanded.value;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (isPlainObject(node)) {
      const copy: Record<string, unknown> = {};
      // defineProperty: a "__proto__" key stays a plain key (and fails validation as unknown).
      for (const [key, item] of Object.entries(node)) {
        Object.defineProperty(copy, key, { value: walk(item, [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return copy;
    }
    return node;
  };
  return { value: walk(value, []), issues };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
