import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchText, FetchTextError } from "../../../src/auth/fetch-text.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";

let server: LoopbackServer;
let base = "";

beforeAll(async () => {
  server = await startLoopbackServer((req, res) => {
    if (req.url === "/ok") return void res.end("-----BEGIN CERTIFICATE-----");
    if (req.url === "/big") return void res.end("x".repeat(2000));
    // No content-length: the size bound must hold while reading.
    if (req.url === "/chunked") {
      res.write("x".repeat(600));
      return void res.end("x".repeat(600));
    }
    if (req.url === "/redirect") return void res.writeHead(302, { location: "/ok" }).end();
  });
  base = server.base;
});

afterAll(() => server.close());

const get = (path: string, maxBytes = 1000, timeout = 2000) => fetchText(`${base}${path}`, { signal: AbortSignal.timeout(timeout), maxBytes });

describe("fetchText", () => {
  it("reads a small answer", async () => {
    expect(await get("/ok")).toBe("-----BEGIN CERTIFICATE-----");
  });

  it("refuses a non-2xx answer with its status", async () => {
    await expect(get("/nothing")).rejects.toMatchObject({ name: "FetchTextError", status: 404 });
  });

  it("refuses an answer over maxBytes, declared or streamed", async () => {
    await expect(get("/big")).rejects.toBeInstanceOf(FetchTextError);
    await expect(get("/chunked")).rejects.toThrow(/larger than 1000 bytes/);
  });

  it("follows no redirect", async () => {
    await expect(get("/redirect")).rejects.toThrow();
  });

  it("gives up at the signal's deadline when the server never answers", async () => {
    await expect(get("/hang", 1000, 50)).rejects.toMatchObject({ name: "TimeoutError" });
  });
});
