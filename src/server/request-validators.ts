/**
 * @module ajv validators for each adapter's request and response schema, compiled once
 * per process (adapters are static, so reloads reuse them).
 */
import { Ajv, type ValidateFunction } from "ajv";
import type { PlatformAdapter } from "../platforms/types.js";

const ajv = new Ajv({ allErrors: false, strict: false });
const requests = new WeakMap<PlatformAdapter, ValidateFunction>();
const responses = new WeakMap<PlatformAdapter, ValidateFunction>();

export function requestValidator(adapter: PlatformAdapter): ValidateFunction {
  let fn = requests.get(adapter);
  if (!fn) {
    fn = ajv.compile(adapter.requestSchema);
    requests.set(adapter, fn);
  }
  return fn;
}

export function responseValidator(adapter: PlatformAdapter): ValidateFunction {
  let fn = responses.get(adapter);
  if (!fn) {
    fn = ajv.compile(adapter.responseSchema);
    responses.set(adapter, fn);
  }
  return fn;
}

/** `/queryResult must be object` (the field first, so the message names it). */
export function describeSchemaError(fn: ValidateFunction): string {
  const error = fn.errors?.[0];
  if (!error) return "invalid";
  const where = error.instancePath || "(body)";
  if (error.keyword === "required") return `${where === "(body)" ? "" : where}/${String(error.params.missingProperty)} is required`;
  return `${where} ${error.message ?? "is invalid"}`;
}
