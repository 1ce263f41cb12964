/**
 * @module Every value the logger must scrub, in every form the server accepts it: API keys,
 * passwords, signing secrets, and the basic-auth token a handler might log from the headers.
 */
import type { Config } from "./types.js";

export function collectSecrets(config: Pick<Config, "webhooks"> & { server?: Pick<Config["server"], "metricsToken"> }): string[] {
  const secrets = new Set<string>();
  if (config.server?.metricsToken !== undefined) secrets.add(config.server.metricsToken);
  for (const { auth } of config.webhooks) {
    if (auth?.apiKey) secrets.add(auth.apiKey.value);
    if (auth?.basic) {
      secrets.add(auth.basic.password);
      // The header carries base64("user:pass"). Unpadded: the server accepts `Basic <token>`
      // without `=`, and the scrubber matches substrings, so this covers every padded form too.
      secrets.add(Buffer.from(`${auth.basic.username}:${auth.basic.password}`, "utf8").toString("base64").replace(/=+$/, ""));
    }
    for (const secret of auth?.signature?.secrets ?? []) secrets.add(secret);
  }
  return [...secrets].filter((secret) => secret !== "");
}

/**
 * Header names the config makes secret besides the well-known ones (SECRET_HEADERS): a custom
 * API-key header and a custom signature header. Their values are hidden whatever they hold,
 * a wrong key included (only right ones are in `collectSecrets`).
 */
export function collectSecretHeaders(config: Pick<Config, "webhooks">): string[] {
  const names = new Set<string>();
  for (const { auth } of config.webhooks) {
    if (auth?.apiKey) names.add(auth.apiKey.header.toLowerCase());
    if (auth?.signature?.header !== undefined) names.add(auth.signature.header.toLowerCase());
  }
  return [...names];
}
