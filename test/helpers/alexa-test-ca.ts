/**
 * The test CA of test/fixtures/auth/alexa (made by make-certs.sh) and a local HTTPS server on
 * 127.0.0.1 serving its chains under Amazon's paths, with a fetch that sends Amazon's URLs
 * there (trusting only the test root): what the alexa scheme's tests inject.
 */
import { createSign } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, request as httpsRequest, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { FetchTextError, type FetchText } from "../../src/auth/fetch-text.js";
import type { AuthRequest } from "../../src/auth/types.js";

export const fixture = (name: string) => readFileSync(new URL(`../fixtures/auth/alexa/${name}`, import.meta.url), "utf8");
export const TEST_ROOT = fixture("root.pem");
export const LEAF_KEY = fixture("leaf.key");
export const CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem";

const CHAINS: Record<string, () => string> = {
  "/echo.api/echo-api-cert.pem": () => fixture("chain.pem"),
  "/echo.api/expired.pem": () => fixture("expired-chain.pem"),
  "/echo.api/wrong-san.pem": () => fixture("wrong-san-chain.pem"),
  "/echo.api/untrusted.pem": () => fixture("untrusted-chain.pem"),
  "/echo.api/leaf-only.pem": () => fixture("leaf.pem"),
  "/echo.api/forged.pem": () => fixture("forged-chain.pem"),
  "/echo.api/junk.pem": () => "not a certificate",
};

export interface ChainServer {
  /** Paths requested, in order. */
  fetched: string[];
  /** Fetches Amazon's URL from the local server instead. */
  fetchText: FetchText;
  close(): Promise<void>;
}

/** Starts the server: `/echo.api/hang.pem` never answers (until close), `/echo.api/broken.pem` answers 500, unknown paths 404. */
export async function startChainServer(): Promise<ChainServer> {
  const fetched: string[] = [];
  const held: (() => void)[] = [];
  const server: Server = createServer({ key: fixture("server.key"), cert: fixture("server.pem") }, (req, res) => {
    const path = req.url ?? "";
    fetched.push(path);
    if (path === "/echo.api/hang.pem") return void held.push(() => res.end());
    if (path === "/echo.api/broken.pem") return void res.writeHead(500).end();
    const chain = CHAINS[path];
    if (chain === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/x-pem-file" }).end(chain());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const fetchText: FetchText = (url, { signal, maxBytes }) =>
    new Promise((resolve, reject) => {
      const req = httpsRequest({ host: "127.0.0.1", port, path: new URL(url).pathname, ca: TEST_ROOT, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks);
          if (status >= 300) reject(new FetchTextError(`GET answered ${status}`, status));
          else if (body.length > maxBytes) reject(new FetchTextError("too large", status));
          else resolve(body.toString("utf8"));
        });
      });
      req.on("error", reject);
      req.end();
    });
  return {
    fetched,
    fetchText,
    async close() {
      for (const release of held) release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An Alexa LaunchRequest sent at `timestamp`, signed (RSA-SHA256, base64) with `key`, as Alexa sends it. */
export function signedAlexaRequest(timestamp: string, now: number, certUrl = CERT_URL, key = LEAF_KEY): AuthRequest & { headers: Record<string, string> } {
  const body = { version: "1.0", request: { type: "LaunchRequest", requestId: "amzn1.echo-api.request.1", timestamp } };
  const rawBody = Buffer.from(JSON.stringify(body));
  const signature = createSign("sha256").update(rawBody).sign(key, "base64");
  return { headers: { signaturecertchainurl: certUrl, "signature-256": signature }, rawBody, body, now };
}
