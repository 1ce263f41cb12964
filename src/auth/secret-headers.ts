/**
 * @module Request headers that carry credentials or signatures: their values never reach a log
 * line or the inspector, whatever writes them.
 */
export const SECRET_HEADERS: readonly string[] = ["authorization", "api-key", "x-api-key", "x-hub-signature", "x-hub-signature-256", "webhook-signature", "x-signature-ed25519", "signature-256", "cookie"];
