// proxy-addr (Fastify's trustProxy parser) ships no types; the calls semantic-checks.ts and
// http-server.ts make. https://github.com/jshttp/proxy-addr#api
declare module "proxy-addr" {
  import type { IncomingMessage } from "node:http";

  type Trust = (address: string, hop: number) => boolean;
  const proxyAddr: {
    (request: IncomingMessage, trust: Trust): string;
    compile(value: string | readonly string[]): Trust;
  };
  export default proxyAddr;
}
