/**
 * @module The bench config's one webhook, built by the real loader as the server builds it,
 * for the in-process measurements (filter cost, step costs).
 */
import { loadConfig } from "../../dist/config/load-config.js";
import { loadRuntime } from "../../dist/runtime/rebuild-runtime.js";

/**
 * @param {string} file a routing file
 * @returns {Promise<{ config: any, runtime: any, webhook: any }>}
 */
export async function loadBenchWebhook(file) {
  const loaded = await loadConfig(file);
  if (!loaded.ok) throw new Error(`bench config ${file} does not load`);
  const built = await loadRuntime(loaded.config);
  if (!built.ok) throw new Error(`bench config ${file} does not build`);
  const [webhook] = built.runtime.webhooks.values();
  return { config: loaded.config, runtime: built.runtime, webhook };
}
