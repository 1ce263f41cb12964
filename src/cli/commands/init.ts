/**
 * @module `webhook-serve init [dir]`: write a small working project (config, handler, test,
 * package.json when none exists). Never overwrites: if any file exists, nothing is written.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { CliIo } from "../load-for-cli.js";
import { CONFIG_YAML, GITIGNORE, HELLO_CONVERSATION, HELLO_HANDLER, HELLO_TEST, TSCONFIG, envExample, packageJson } from "../init-templates.js";

export async function initCommand(dir: string, version: string, io: CliIo): Promise<number> {
  const root = resolve(dir);
  const files: [string, string][] = [
    ["config.yaml", CONFIG_YAML],
    ["handlers/hello.ts", HELLO_HANDLER],
    // .mts: an ES module even in a project whose kept package.json is CommonJS.
    ["test/hello.test.mts", HELLO_TEST],
    ["test/hello.conversation.yaml", HELLO_CONVERSATION],
  ];
  // Optional files: written when absent, never in the way of an existing project.
  const optional: [string, string][] = [
    [".env.example", envExample()],
    ["tsconfig.json", TSCONFIG],
    [".gitignore", GITIGNORE],
  ];
  for (const [name, text] of optional) if (!existsSync(join(root, name))) files.push([name, text]);
  const hasPackage = existsSync(join(root, "package.json"));
  const existing = files.filter(([name]) => existsSync(join(root, name))).map(([name]) => name);
  if (existing.length > 0) {
    io.err(`init: refusing to overwrite ${existing.join(", ")} in ${root}; nothing was written`);
    return 1;
  }
  if (!hasPackage) files.push(["package.json", packageJson(npmName(basename(root)), version)]);
  // Folders first: if one cannot be made (a file is in the way), nothing has been written yet.
  try {
    for (const [name] of files) await mkdir(dirname(join(root, name)), { recursive: true });
  } catch (error) {
    io.err(`init: cannot create the folders in ${root} (${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing was written`);
    return 1;
  }
  for (const [name, text] of files) {
    await writeFile(join(root, name), text, { flag: "wx" });
    io.out(`  created ${name}`);
  }
  if (hasPackage) io.out("  kept your package.json");
  const cd = relative(process.cwd(), root);
  io.out("\nNext:");
  if (cd !== "") io.out(`  cd ${/^[\w./-]+$/.test(cd) ? cd : `'${cd.replaceAll("'", `'\\''`)}'`}`);
  if (hasPackage) io.out(`  npm install webhook-serve@^${version} && npm install -D vitest typescript @types/node`);
  else io.out("  npm install");
  io.out("  cp .env.example .env                      # the basic-auth password Dialogflow will send");
  io.out("  npx webhook-serve config.yaml --watch --env-file .env     # serve, reload on save");
  io.out("  npx webhook-serve send config.yaml --env-file .env --intent hello --param name=Ada");
  io.out("  npx vitest run                            # run test/hello.test.mts");
  io.out("  npx tsc --noEmit                          # typecheck the handlers");
  return 0;
}

function npmName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+/, "");
  return name || "my-bot";
}
