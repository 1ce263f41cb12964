/**
 * @module `webhook-serve test [files or folders]`: runs conversation tests (`*.conversation.yaml`,
 * or any file named) through the real pipeline in-process; one line per turn, a readable diff
 * for each failed expectation, exit 0/1; `--reporter junit --output file.xml` for CI.
 */
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { FileWatcher } from "../../reload/watch-files.js";
import { isConfigError, formatIssue } from "../../errors.js";
import { runConversation, type ConversationResult, type Mismatch } from "../../testing/run-conversation.js";
import type { CliIo } from "../load-for-cli.js";

export interface TestFlags {
  reporter?: string;
  output?: string;
  /** Run again whenever a conversation, its config or a handler changes. */
  watch?: boolean;
}

const PATTERN = /\.conversation\.ya?ml$/;

export async function testCommand(paths: string[], flags: TestFlags, io: CliIo): Promise<number | "running"> {
  const first = await runAll(paths, flags, io);
  if (!flags.watch || first.files.length === 0) return first.code;
  let running: Promise<unknown> = Promise.resolve();
  const watcher: FileWatcher = new FileWatcher(first.files, {
    onChange: (changed) => {
      running = running.then(async () => {
        io.out(`\n${changed.map((f) => relative(process.cwd(), f)).join(", ")} changed: running again`);
        const again = await runAll(paths, flags, io);
        // Keep watching what the last good run read too, so fixing a broken file reruns.
        watcher.setFiles([...new Set([...again.files, ...watcher.files])]);
      });
    },
    onPolling: (reason) => io.err(reason),
  });
  io.out(`watching ${watcher.files.length} files; the tests run again on a change (Ctrl-C stops)`);
  // The watcher's handles do not keep the process alive on their own (they are unref'd for the server).
  const alive = setInterval(() => {}, 60_000);
  const stop = () => {
    clearInterval(alive);
    watcher.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return "running";
}

async function runAll(paths: string[], flags: TestFlags, io: CliIo): Promise<{ code: number; files: string[] }> {
  const read: string[] = [];
  const code = await runOnce(paths, flags, io, (files) => read.push(...files));
  return { code, files: [...new Set(read)] };
}

async function runOnce(paths: string[], flags: TestFlags, io: CliIo, onFiles: (files: string[]) => void): Promise<number> {
  if (flags.reporter !== undefined && flags.reporter !== "junit" && flags.reporter !== "text") {
    io.err(`--reporter ${flags.reporter}: expected text or junit`);
    return 1;
  }
  if (flags.reporter === "junit" && flags.output === undefined) {
    io.err("--reporter junit needs --output <file.xml>");
    return 1;
  }
  let files: string[];
  try {
    files = (paths.length > 0 ? paths : ["."]).flatMap(find);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  if (files.length === 0) {
    io.err(`no conversation tests (*.conversation.yaml) under ${paths.join(", ") || "."}`);
    return 1;
  }
  const results: ConversationResult[] = [];
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    try {
      const result = await runConversation(file, { env: io.env });
      onFiles(result.files);
      results.push({ ...result, name });
      io.out(`${result.ok ? "✓" : "✗"} ${name}`);
      for (const turn of result.turns) {
        io.out(`  ${turn.ok ? "✓" : "✗"} ${turn.index + 1}. ${turn.label} → ${turn.route ?? "no route"} (${turn.status}, ${turn.ms} ms)`);
        for (const mismatch of turn.mismatches) io.out(diff(mismatch));
      }
    } catch (error) {
      results.push({ name, ok: false, turns: [], files: [] });
      onFiles([resolve(file)]);
      io.out(`✗ ${name}`);
      io.out(isConfigError(error) ? error.issues.map((i) => `    ${formatIssue(i)}`).join("\n") : `    ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  const turns = results.reduce((n, r) => n + r.turns.length, 0);
  io.out(`\n${results.length - failed} of ${results.length} conversations passed (${turns} turns)`);
  if (flags.reporter === "junit") writeFileSync(flags.output as string, junit(results));
  return failed === 0 ? 0 : 1;
}

function find(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new Error(`${path}: no such file or folder`);
  }
  if (stat.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.name !== "node_modules" && !e.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? find(join(path, e.name)) : PATTERN.test(e.name) ? [join(path, e.name)] : []));
}

const show = (value: unknown) => (typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "undefined");

function diff(m: Mismatch): string {
  return `      ${m.what}\n        - expected ${show(m.expected)}\n        + actual   ${show(m.actual)}`;
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML: a test suite per conversation, a test case per turn. */
function junit(results: readonly ConversationResult[]): string {
  const suites = results.map((r) => {
    const failures = r.turns.filter((t) => !t.ok).length + (r.turns.length === 0 ? 1 : 0);
    const cases = r.turns.map((t) => {
      const body = t.ok ? "" : `<failure message="${xml(t.mismatches.map((m) => m.what).join(", "))}">${xml(t.mismatches.map(diff).join("\n"))}</failure>`;
      return `    <testcase classname="${xml(r.name)}" name="${xml(`${t.index + 1}. ${t.label}`)}" time="${(t.ms / 1000).toFixed(3)}">${body}</testcase>`;
    });
    if (r.turns.length === 0) cases.push(`    <testcase classname="${xml(r.name)}" name="load"><failure message="the conversation did not run"/></testcase>`);
    return `  <testsuite name="${xml(r.name)}" tests="${cases.length}" failures="${failures}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join("\n")}\n</testsuites>\n`;
}
