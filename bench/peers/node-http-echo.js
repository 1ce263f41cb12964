/**
 * @module Bare node:http JSON echo: the floor every Node server pays (accept, read the body,
 * JSON.parse, JSON.stringify, write). Peer for `npm run bench`; not part of the package.
 * Usage: node bench/peers/node-http-echo.js <port>   (binds 127.0.0.1 only)
 */
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"error":"invalid JSON"}');
      return;
    }
    const out = JSON.stringify(body);
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(out) });
    res.end(out);
  });
});

server.listen(port, "127.0.0.1", () => {
  process.stderr.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
