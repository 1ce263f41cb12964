/**
 * @module ajv errors → one friendly issue per problem. ajv (with `allErrors`) reports every
 * failing branch of a `oneOf`; the schema gives each union an `errorMessage`, and this
 * module prints that instead of the branch noise.
 */
import type { ErrorObject } from "ajv";
import { patternHints } from "./config-schema.js";
import { pointerToPath, type PathIssue } from "./issue-path.js";

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
    const id = `${issue.path.join("\0")}\0${issue.key ?? ""}\0${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}

function toIssue(error: ErrorObject, data: unknown): PathIssue {
  const path = pointerToPath(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return { path, key: String(params.additionalProperty), message: `unknown key "${String(params.additionalProperty)}"` };
    case "required":
      return { path, message: `missing required key "${String(params.missingProperty)}"` };
    case "type": {
      const types = String(params.type).split(",");
      return { path, message: `must be ${types.map((t) => typeNames[t] ?? t).join(" or ")}` };
    }
    case "enum":
      return { path, message: `must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}` };
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

function messageOf(schema: unknown): string | undefined {
  const message = (schema as { errorMessage?: unknown } | undefined)?.errorMessage;
  return typeof message === "string" ? message : undefined;
}
