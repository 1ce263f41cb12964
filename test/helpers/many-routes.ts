/**
 * A routing file of `count` static Dialogflow ES routes in a temp folder: loading 1,000 keeps
 * megabytes alive and leaves garbage behind, as a large real config does.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function manyRoutes(count = 1000): string {
  const dir = mkdtempSync(join(tmpdir(), "whs-routes-"));
  const lines = ["webhooks:", "  - path: /dialogflow", "    platform: dialogflow", "    routes:"];
  for (let i = 0; i < count; i++) lines.push(`      - intent: intent-${i}`, "        reply:", `          text: "Reply {{ params.name | default: \\"friend\\" }} ${i}"`);
  const file = join(dir, "routes.yaml");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}
