import { describe, expect, it } from "vitest";
import { BASIC_CHALLENGE, compileBasicAuth } from "../../../src/auth/basic-auth.js";
import { secretEquals } from "../../../src/auth/constant-time.js";

const rawBody = Buffer.from("{}");
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const failed = { code: "WHS_ERR_AUTH_FAILED", headers: { "www-authenticate": 'Basic realm="webhook-serve", charset="UTF-8"' } };

describe("compileBasicAuth", () => {
  const check = compileBasicAuth({ username: "bot", password: "pa:ss:wörd" });
  const run = (authorization?: string) => check({ headers: authorization === undefined ? {} : { authorization }, rawBody, now: 0 });

  it("passes the right user and a password containing ':' and non-ASCII (UTF-8)", () => {
    expect(run(`Basic ${b64("bot:pa:ss:wörd")}`)).toBeUndefined();
  });

  it("takes the scheme in any case and extra spaces", () => {
    expect(run(`basic ${b64("bot:pa:ss:wörd")}`)).toBeUndefined();
    expect(run(`BASIC  ${b64("bot:pa:ss:wörd")}`)).toBeUndefined();
  });

  it("answers 401 with the challenge header when missing", () => {
    expect(run()).toEqual(failed);
    expect(BASIC_CHALLENGE).toBe('Basic realm="webhook-serve", charset="UTF-8"');
  });

  it("answers 401 with the challenge for wrong user, wrong password, or a truncated password", () => {
    for (const pair of ["bob:pa:ss:wörd", "bot:pa:ss", "bot:pa:ss:wörd ", "bot", "botpa:ss:wörd", ":"]) {
      expect(run(`Basic ${b64(pair)}`), pair).toEqual(failed);
    }
  });

  it("answers 401 for another scheme or a malformed token", () => {
    expect(run(`Bearer ${b64("bot:pa:ss:wörd")}`)).toEqual(failed);
    expect(run("Basic")).toEqual(failed);
    expect(run(`Basic ${b64("bot:pa:ss:wörd")}!!`)).toEqual(failed);
    expect(run(`Basic ${b64("bot:pa:ss:wörd")} extra`)).toEqual(failed);
  });

  it("the usual header passes; longer, shorter or changed, it does not", () => {
    const usual = `Basic ${b64("bot:pa:ss:wörd")}`;
    expect(run(usual)).toBeUndefined();
    expect(run(`${usual}AAAA`)).toEqual(failed);
    expect(run(usual.slice(0, -1))).toEqual(failed);
    expect(run(`X${usual.slice(1)}`)).toEqual(failed);
  });

  it("never puts the credentials in the failure", () => {
    expect(JSON.stringify(run(`Basic ${b64("bot:nope")}`))).not.toMatch(/bot|pa:ss/);
  });
});

describe("secretEquals", () => {
  const isSecret = secretEquals(Buffer.from("s3cret"));
  it("is true only for the same bytes, whatever the candidate's length", () => {
    expect(isSecret("s3cret")).toBe(true);
    for (const candidate of ["", "s3cre", "s3crex", "s3cret!", "S3cret", "s3cret s3cret"]) expect(isSecret(candidate), candidate).toBe(false);
  });

  it("keeps nothing from the call before (its buffer is reused)", () => {
    expect(isSecret("s3cret")).toBe(true);
    expect(isSecret("s3c")).toBe(false);
    expect(isSecret("s3cret")).toBe(true);
  });

  it("compares UTF-8 bytes: a character cut at the secret's length does not match", () => {
    const isUnicode = secretEquals(Buffer.from("pé"));
    expect(isUnicode("pé")).toBe(true);
    expect(isUnicode("pe")).toBe(false);
    expect(isUnicode("pée")).toBe(false);
    expect(secretEquals(Buffer.from("ab"))("a\u00e9")).toBe(false);
  });
});
