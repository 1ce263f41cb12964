import { describe, expect, it } from "vitest";
import { compileApiKey } from "../../../src/auth/api-key.js";
import { errorCodes } from "../../../src/errors.js";

const rawBody = Buffer.from("{}");
const check = compileApiKey({ header: "api-key", value: "s3cret-key" });

describe("compileApiKey", () => {
  it("passes the right key", () => {
    expect(check({ headers: { "api-key": "s3cret-key" }, rawBody, now: 0 })).toBeUndefined();
  });

  it("answers 400 WHS_ERR_AUTH_MISSING naming the header when it is absent or empty", () => {
    for (const headers of [{}, { "api-key": "" }, { authorization: "s3cret-key" }]) {
      const failure = check({ headers, rawBody, now: 0 });
      expect(failure).toEqual({ code: "WHS_ERR_AUTH_MISSING", args: ["api-key"] });
      expect(errorCodes[failure!.code].status).toBe(400);
    }
  });

  it("answers 401 WHS_ERR_AUTH_FAILED for a wrong key, a prefix of it, or a longer one", () => {
    for (const value of ["wrong", "s3cret-ke", "s3cret-key2", "S3CRET-KEY"]) {
      const failure = check({ headers: { "api-key": value }, rawBody, now: 0 });
      expect(failure?.code).toBe("WHS_ERR_AUTH_FAILED");
      expect(errorCodes[failure!.code].status).toBe(401);
    }
  });

  it("reads a configured header, lower-cased", () => {
    const custom = compileApiKey({ header: "X-API-Key", value: "k" });
    expect(custom({ headers: { "x-api-key": "k" }, rawBody, now: 0 })).toBeUndefined();
    expect(custom({ headers: { "api-key": "k" }, rawBody, now: 0 })).toEqual({ code: "WHS_ERR_AUTH_MISSING", args: ["x-api-key"] });
  });

  it("never puts the key in the failure", () => {
    const failure = check({ headers: { "api-key": "nope" }, rawBody, now: 0 });
    expect(JSON.stringify(failure)).not.toContain("s3cret");
  });
});
