/**
 * @module Bare Fastify JSON echo (no logger, default JSON parser): the reference the issue's
 * ratios are measured against. Peer for `npm run bench`; not part of the package.
 * Usage: node bench/peers/fastify-echo.js <port>   (binds 127.0.0.1 only)
 */
import Fastify from "fastify";

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const app = Fastify({ logger: false });

app.post("/*", async (request) => request.body);

await app.listen({ host: "127.0.0.1", port });
process.stderr.write(`listening on http://127.0.0.1:${app.server.address().port}\n`);
process.on("SIGTERM", () => app.close().then(() => process.exit(0)));
