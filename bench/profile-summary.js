/**
 * @module Where the time goes in a V8 CPU profile (`node --cpu-prof`): self time per function
 * and per package/file, top N. Usage: node bench/profile-summary.js <file.cpuprofile> [N=25]
 * @see https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
 */
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node bench/profile-summary.js <file.cpuprofile> [N]\n");
  process.exit(1);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8"));

// Self time of a node = its share of samples × the mean sampling interval.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const totalMs = (profile.endTime - profile.startTime) / 1000;
const msPerSample = totalMs / profile.samples.length;

const where = (url) => {
  if (!url) return "(native/V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + 13).split("/").slice(0, url.slice(nm + 13).startsWith("@") ? 2 : 1).join("/");
  if (url.startsWith("node:")) return url;
  const dist = url.indexOf("/dist/");
  return dist >= 0 ? url.slice(dist + 1) : url.replace(/^file:\/\//, "");
};

// A bench server idles while the others are loaded, so shares are of busy (non-idle) samples.
let idle = 0;
const fns = new Map();
const files = new Map();
for (const [id, count] of hits) {
  const { callFrame } = byId.get(id);
  if (callFrame.functionName === "(idle)") {
    idle += count;
    continue;
  }
  const name = `${callFrame.functionName || "(anonymous)"}  ${where(callFrame.url)}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ""}`;
  fns.set(name, (fns.get(name) ?? 0) + count);
  const area = where(callFrame.url);
  files.set(area, (files.get(area) ?? 0) + count);
}

const print = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, count] of rows) {
    process.stdout.write(`${((count / busy()) * 100).toFixed(1).padStart(5)} %  ${(count * msPerSample).toFixed(0).padStart(6)} ms  ${name}\n`);
  }
};
const busy = () => profile.samples.length - idle;
process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms, ${profile.samples.length} samples, busy ${(busy() * msPerSample).toFixed(0)} ms (shares below are of busy time)\n`);
print("self time by package / file", files);
print("self time by function", fns);
