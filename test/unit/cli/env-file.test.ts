import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { valuesCutAtHash, withEnvFile } from "../../../src/cli/env-file.js";

function envFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "whs-env-")), ".env");
  writeFileSync(path, text);
  return path;
}

function read(text: string): { env: Record<string, string | undefined>; errors: string[]; path: string } {
  const errors: string[] = [];
  const path = envFile(text);
  const io = withEnvFile({ out: () => {}, err: (line) => void errors.push(line), env: {} }, path);
  if (typeof io === "string") throw new Error(io);
  return { env: io.env, errors, path };
}

describe("--env-file", () => {
  it("drops a UTF-8 byte-order mark, which would otherwise hide the first variable", () => {
    const { env, errors } = read("\uFEFFAPI_KEY=k1\nOTHER=o\n");
    expect(env.API_KEY).toBe("k1");
    expect(Object.keys(env).some((name) => name.includes("\uFEFF"))).toBe(false);
    expect(errors).toEqual([]);
  });

  it("warns, by name and line and without the value, when an unquoted # cut a value", () => {
    const { env, errors, path } = read("A=1\nPASSWORD=pa#ss-secret\nCOLOR=#fff\n");
    expect(env.PASSWORD).toBe(parseEnv("PASSWORD=pa#ss-secret\n").PASSWORD);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBe(`--env-file: ${path}:2: the value of PASSWORD ends at an unquoted "#" (the rest is read as a comment); quote the value if the "#" belongs to it`);
    expect(errors[1]).toContain(`${path}:3: the value of COLOR`);
    expect(errors.join("\n")).not.toContain("ss-secret");
  });

  it("says nothing of a quoted #, a comment after a space, or a comment line", () => {
    const text = 'A="pa#ss"\nB=value # a note\nC=  # empty on purpose\n# D=x#y\nexport E=\'1#2\'\n';
    expect(valuesCutAtHash(text, parseEnv(text) as Record<string, string>)).toEqual([]);
    expect(read(text).errors).toEqual([]);
  });

  it("finds a cut value behind export and CRLF line ends", () => {
    const text = "X=1\r\nexport TOKEN=ab#cd\r\n";
    expect(valuesCutAtHash(text, parseEnv(text) as Record<string, string>)).toEqual([{ name: "TOKEN", line: 2 }]);
  });
});
