/**
 * @module A request URL's path: what webhooks are looked up by (a query string is not part of it).
 * @example pathOf("/dialogflow?x=1") // "/dialogflow"
 */
export function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}
