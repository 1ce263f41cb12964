/**
 * @module Writes the bench's routing files and handler modules into a temp folder:
 * a Dialogflow ES webhook behind basic auth with N routes `intent-<1000-N>` … `intent-999`
 * answering a templated static reply, optionally with 10 `when` filters on the last route; and small configs with a
 * JS or TS handler for cold start and reload. Format: the README's routing-file section.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const WEBHOOK_PATH = "/dialogflow";
export const BASIC_USER = "bench";
export const BASIC_PASS = "bench-secret-0123456789";
/** What the reply template renders for the bench request (`params.name` is "Ada"). */
export const EXPECTED_TEXT = "Hello Ada";
/** The API.AI (Dialogflow v1) webhook of issue 2's comparison, answering the shared fixture. */
export const APIAI_PATH = "/apiai";
export const APIAI_TEXT = "Hi Ana! Nice to meet you.";

/** The ten filters on the matched route; every one holds for the bench request. */
const TEN_FILTERS = [
  '{ key: queryResult.languageCode, equals: en }',
  '{ key: queryResult.action, equals: order.pizza }',
  '{ key: queryResult.parameters.size, in: [small, medium, large] }',
  '{ key: queryResult.parameters.geo-city, exists: true }',
  '{ key: queryResult.parameters.toppings.0, equals: mushrooms }',
  '{ key: queryResult.outputContexts.*.name, matches: "/contexts/customer$" }',
  '{ key: originalDetectIntentRequest.source, in: [google, facebook, telegram] }',
  '{ key: originalDetectIntentRequest.payload.user.locale, matches: "^en-" }',
  '{ key: session, matches: "^projects/[^/]+/agent/sessions/" }',
  '{ not: { key: originalDetectIntentRequest.payload.isInSandbox, equals: true } }',
];

const REPLY = 'text: "Hello {{ params.name | default: \\"friend\\" }}"';

/**
 * The routing file for the throughput runs.
 * @param {{ routes: number, filters?: boolean, logLevel: string }} options
 * @returns {string} YAML
 */
export function routingYaml({ routes, filters = false, logLevel }) {
  const lines = header(logLevel);
  // Numbered so the last route is always `intent-999`: every variant gets the same request bytes.
  for (let i = 1000 - routes; i < 1000; i++) {
    lines.push(`      - intent: intent-${i}`);
    if (filters && i === 999) {
      lines.push("        when:");
      for (const f of TEN_FILTERS) lines.push(`          - ${f}`);
    }
    lines.push("        reply:", `          ${REPLY}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Handler source; `text` is the reply text, so reload tests can tell versions apart. */
export function handlerSource(lang, text) {
  const reply = JSON.stringify(text);
  if (lang === "ts") {
    // The annotations make this real TypeScript: Node cannot run it without tsx.
    return [
      "interface Turn { params: Record<string, unknown> }",
      "interface Reply { text: string }",
      `const handler = async (_turn: Turn): Promise<Reply> => ({ text: ${reply} });`,
      "export default handler;",
      "",
    ].join("\n");
  }
  return `export default async function handler(_turn) {\n  return { text: ${reply} };\n}\n`;
}

/** Every bench config: one Dialogflow ES webhook with basic auth, up to its `routes:` line. */
function header(logLevel) {
  return [
    "server:",
    `  logLevel: ${logLevel}`,
    "webhooks:",
    `  - path: ${WEBHOOK_PATH}`,
    "    platform: dialogflow",
    "    auth:",
    `      basic: { username: ${BASIC_USER}, password: ${BASIC_PASS} }`,
    "    routes:",
  ];
}

/** API.AI with basic auth and a few routes; the fixture's action `greetings` gets a template. */
function apiaiYaml() {
  return [
    "server:",
    "  logLevel: warn",
    "webhooks:",
    `  - path: ${APIAI_PATH}`,
    "    platform: apiai",
    "    auth:",
    `      basic: { username: ${BASIC_USER}, password: ${BASIC_PASS} }`,
    "    routes:",
    ...["weather", "pizza.order", "farewell"].flatMap((action) => [`      - action: ${action}`, `        reply: { text: "${action}" }`]),
    "      - action: greetings",
    "        reply:",
    '          text: "Hi {{ params.name }}! Nice to meet you."',
    "          contexts: [{ name: greeted, lifespan: 5, params: { name: \"{{ params.name }}\" } }]",
    "",
  ].join("\n");
}

/** A one-route config whose route calls `./handlers/<file>`. */
export function handlerYaml(file, logLevel = "warn") {
  return [
    ...header(logLevel),
    "      - intent: intent-999",
    `        handler: ./handlers/${file}`,
    "",
  ].join("\n");
}

/**
 * Write every config into `dir`.
 * @returns {Record<string, string>} name → absolute path of the YAML file
 */
export function writeConfigs(dir) {
  mkdirSync(join(dir, "handlers"), { recursive: true });
  // Handler files are ESM whatever the extension resolution does.
  writeFileSync(join(dir, "package.json"), '{ "type": "module", "private": true }\n');
  const files = {
    r1000warn: routingYaml({ routes: 1000, logLevel: "warn" }),
    r10warn: routingYaml({ routes: 10, logLevel: "warn" }),
    r1000when: routingYaml({ routes: 1000, filters: true, logLevel: "warn" }),
    r1000info: routingYaml({ routes: 1000, logLevel: "info" }),
    coldJs: handlerYaml("hello.js"),
    coldTs: handlerYaml("hello.ts"),
    reload: handlerYaml("reload.ts"),
    apiai: apiaiYaml(),
  };
  writeFileSync(join(dir, "handlers", "hello.js"), handlerSource("js", EXPECTED_TEXT));
  writeFileSync(join(dir, "handlers", "hello.ts"), handlerSource("ts", EXPECTED_TEXT));
  writeFileSync(join(dir, "handlers", "reload.ts"), handlerSource("ts", "version 0"));
  const paths = {};
  for (const [name, yaml] of Object.entries(files)) {
    paths[name] = join(dir, `${name}.yaml`);
    writeFileSync(paths[name], yaml);
  }
  return paths;
}
