import { describe, expect, it } from "vitest";
import { BASIC_CHALLENGE, compileBasicAuth } from "../../../src/auth/basic-auth.js";
import { equalsSecret } from "../../../src/auth/constant-time.js";

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

describe("equalsSecret", () => {
  const secret = Buffer.from("s3cret");
  it("is true only for the same bytes, whatever the candidate's length", () => {
    expect(equalsSecret(Buffer.from("s3cret"), secret)).toBe(true);
    for (const candidate of ["", "s3cre", "s3crex", "s3cret!", "S3cret", "s3cret s3cret"]) expect(equalsSecret(Buffer.from(candidate), secret), candidate).toBe(false);
  });
});
