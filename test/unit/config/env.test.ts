import { describe, expect, it } from "vitest";
import { expandEnvString, substituteEnv } from "../../../src/config/env.js";

describe("expandEnvString", () => {
  it("replaces ${NAME} anywhere in the string", () => {
    expect(expandEnvString("Bearer ${TOKEN}!", { TOKEN: "abc" })).toEqual({ value: "Bearer abc!", missing: [], errors: [] });
  });

  it("uses the default when the variable is unset or empty", () => {
    expect(expandEnvString("${A:-x}/${B:-y}/${C:-}", { B: "" }).value).toBe("x/y/");
    expect(expandEnvString("${A:-x}", { A: "set" }).value).toBe("set");
  });

  it("keeps an empty value that is set, without a default", () => {
    expect(expandEnvString("[${A}]", { A: "" })).toEqual({ value: "[]", missing: [], errors: [] });
  });

  it("names each missing variable once", () => {
    expect(expandEnvString("${A}${B}${A}", {}).missing).toEqual(["A", "B"]);
  });

  it("writes $${ as a literal ${ and leaves a lone $ alone", () => {
    expect(expandEnvString("$${HOME} costs $5", { HOME: "/root" }).value).toBe("${HOME} costs $5");
  });

  it("reports an unclosed reference and a bad name", () => {
    expect(expandEnvString("${OPEN", {}).errors).toEqual(['unclosed "${" (write "$${" for a literal "${")']);
    expect(expandEnvString("${1X}", {}).errors).toEqual(['invalid environment variable name "1X" (write "$${" for a literal "${", e.g. "$${{ params.price }}")']);
  });
});

describe("substituteEnv", () => {
  it("expands strings (not keys) deep in the value and leaves the input untouched", () => {
    const input = { a: ["${X}", 1, { "${X}": "${Y:-d}" }], b: true };
    const { value, issues } = substituteEnv(input, { X: "x" });
    expect(value).toEqual({ a: ["x", 1, { "${X}": "d" }], b: true });
    expect(issues).toEqual([]);
    expect(input.a[0]).toBe("${X}");
  });

  it("gives the path of each missing variable and never its value", () => {
    const { issues } = substituteEnv({ webhooks: [{ auth: { apiKey: { value: "${API_KEY}" } } }] }, {});
    expect(issues).toEqual([{ path: ["webhooks", 0, "auth", "apiKey", "value"], message: "environment variable API_KEY is not set" }]);
  });
});
