/** @module `webhook-serve routes <config>`: the routing table (path, platform, match, target). */
import { describeMatch, describeTarget } from "../../routing/describe-route.js";
import { loadForCli, type CliIo } from "../load-for-cli.js";

export async function routesCommand(file: string, io: CliIo): Promise<number> {
  const loaded = await loadForCli(file, io);
  if (!loaded) return 1;
  const rows: string[][] = [["PATH", "PLATFORM", "MATCH", "TARGET"]];
  for (const webhook of loaded.config.webhooks) {
    for (const route of webhook.routes) rows.push([webhook.path, webhook.platform, describeMatch(route), describeTarget(route.target)]);
    if (webhook.fallback) rows.push([webhook.path, webhook.platform, "(fallback)", describeTarget(webhook.fallback)]);
  }
  io.out(formatTable(rows));
  return 0;
}

function formatTable(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")).join("\n");
}
