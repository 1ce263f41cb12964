/**
 * A stand-in for a platform's key server on 127.0.0.1 (a JWKS, a certificate chain): the
 * handler's routes, plus `/hang`, which never answers until the test ends (a fetch deadline)
 * and 404 for the rest.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  close(): Promise<void>;
}

/** `answer` answers the requests it knows; the rest go on to `/hang` and 404. */
export async function startLoopbackServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<LoopbackServer> {
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    answer(req, res);
    if (res.headersSent || res.writableEnded) return;
    if (req.url === "/hang") return void held.push(res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const res of held) res.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
