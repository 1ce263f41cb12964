/** @module `webhook-serve validate <config>`: config and handler modules, exit 0 or 1. */
import { loadForCli, type CliIo } from "../load-for-cli.js";

export async function validateCommand(file: string, io: CliIo): Promise<number> {
  const loaded = await loadForCli(file, io);
  if (!loaded) return 1;
  const { webhooks } = loaded.config;
  const routes = webhooks.reduce((n, w) => n + w.routes.length, 0);
  io.out(`${file}: ok (${webhooks.length} webhook${webhooks.length === 1 ? "" : "s"}, ${routes} route${routes === 1 ? "" : "s"})`);
  return 0;
}
