// proxy-addr (Fastify's trustProxy parser) ships no types; the one call semantic-checks.ts makes.
// https://github.com/jshttp/proxy-addr#proxyaddrcompileval
declare module "proxy-addr" {
  const proxyAddr: { compile(value: string | readonly string[]): (address: string, hop: number) => boolean };
  export default proxyAddr;
}
