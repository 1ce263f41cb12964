/**
 * @module ajv errors → one friendly issue per problem. ajv (with `allErrors`) reports every
 * failing branch of a `oneOf`; the schema gives each union an `errorMessage`, and this
 * module prints that instead of the branch noise.
 */
import { Ajv, type ErrorObject } from "ajv";
import { patternHints } from "./config-schema.js";
import { pointerToPath, type PathIssue, type PathSegment } from "./issue-path.js";
import { getAdapter, platformNames, platformReplyFields } from "../platforms/registry.js";
import { getSignatureScheme, signatureSchemeNames } from "../auth/signature-schemes.js";

const UNIONS = new Set(["oneOf", "anyOf", "not"]);

const typeNames: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  null: "null",
};

/** Issues for ajv's errors on `data` (the validated value, for array indexes in paths). */
export function schemaIssues(errors: readonly ErrorObject[], data: unknown): PathIssue[] {
  // A value of the wrong type makes every other check on that same value noise.
  const wrongType = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  const unions = errors.filter((e) => UNIONS.has(e.keyword) && messageOf(e.parentSchema) !== undefined);
  const inUnion = (e: ErrorObject) =>
    unions.some((u) => u !== e && u.instancePath === e.instancePath && e.schemaPath.startsWith(`${u.schemaPath}/`));

  const issues: PathIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== "type" && wrongType.has(error.instancePath)) continue;
    if (inUnion(error)) continue;
    const issue = toIssue(error, data);
    if (issue === undefined) continue;
    const id = `${issue.path.join("\0")}\0${issue.key ?? ""}\0${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}

/** The issue for one ajv error; undefined for none (a registered platform's name). */
function toIssue(error: ErrorObject, data: unknown): PathIssue | undefined {
  const path = pointerToPath(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      // The schema was built with the shipped platforms; a registered one's reply keys are known too.
      const field = isReply(path) ? platformReplyFields()[key] : undefined;
      if (field !== undefined) return replyFieldIssue(field, [...path, key], data);
      const known = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      if (isReply(path)) known.push(...Object.keys(platformReplyFields()));
      return { path, key, message: `unknown key "${key}"${didYouMean(key, known)}` };
    }
    case "required":
      return { path, message: `missing required key "${String(params.missingProperty)}"` };
    case "type": {
      const types = String(params.type).split(",");
      return { path, message: `must be ${types.map((t) => typeNames[t] ?? t).join(" or ")}` };
    }
    case "enum": {
      const value: unknown = error.data; // ajv runs with verbose: the failing value itself
      const platform = path.at(-1) === "platform";
      // The schema was built with the shipped platforms and schemes; a registered one is known too.
      if (platform && typeof value === "string" && getAdapter(value) !== undefined) return undefined;
      const scheme = path.at(-1) === "scheme" && path.at(-2) === "signature";
      if (scheme && typeof value === "string" && getSignatureScheme(value) !== undefined) return undefined;
      const allowed = platform ? platformNames() : scheme ? signatureSchemeNames() : (params.allowedValues as unknown[]).map(String);
      const what = platform ? "a platform" : "allowed";
      const given = typeof value === "string" ? `${JSON.stringify(value)} is not ${what}; ` : "";
      return { path, message: `${given}must be one of: ${allowed.join(", ")}${typeof value === "string" ? didYouMean(value, allowed) : ""}` };
    }
    case "pattern":
      return { path, message: patternHints[String(params.pattern)] ?? `must match ${String(params.pattern)}` };
    case "minLength":
      return { path, message: params.limit === 1 ? "must not be empty" : `must be at least ${String(params.limit)} characters` };
    case "minItems":
      return { path, message: `must have at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}` };
    case "minimum":
    case "maximum":
      return { path, message: `must be ${params.comparison as string} ${String(params.limit)}` };
    default:
      return { path, message: messageOf(error.parentSchema) ?? error.message ?? `fails ${error.keyword}` };
  }
}

/** A static reply (`…reply`, `…reply.lang.de`). */
const isReply = (path: readonly PathSegment[]) => path.at(-1) === "reply" || path.at(-2) === "lang";

let fieldAjv: Ajv | undefined;

/** A registered platform's reply key checked against its own schema; undefined when it passes. */
function replyFieldIssue(schema: object, path: PathSegment[], data: unknown): PathIssue | undefined {
  let value = data;
  for (const segment of path) value = (value as Record<PathSegment, unknown>)[segment];
  fieldAjv ??= new Ajv({ strict: false, allowUnionTypes: true });
  const validate = fieldAjv.compile(schema);
  if (validate(value)) return undefined;
  const error = validate.errors?.[0];
  return { path: [...path, ...pointerToPath(error?.instancePath ?? "", value)], message: error?.message ?? "is not valid" };
}

function messageOf(schema: unknown): string | undefined {
  const message = (schema as { errorMessage?: unknown } | undefined)?.errorMessage;
  return typeof message === "string" ? message : undefined;
}

/** `; did you mean "card"?` when one candidate is within two edits (case ignored), else "". */
function didYouMean(given: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(given.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best === undefined || best === given ? "" : `; did you mean "${best}"?`;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
