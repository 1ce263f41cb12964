/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests that scrape
 * `/metrics`: every line must be a HELP, a TYPE or a sample of a family typed before it, with
 * well-formed labels and a number. Throws on the first line that is not. (No promtool here,
 * and prom-client has no parser.)
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  type: string;
  help?: string;
  samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\["\\n])*)"\s*(?:,|$)/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Record<string, string[]> = { histogram: ["_bucket", "_sum", "_count"], summary: ["_sum", "_count"] };

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const familyOf = (name: string): Family | undefined => {
    const exact = families.get(name);
    if (exact !== undefined) return exact;
    for (const [family, entry] of families) if ((SUFFIXES[entry.type] ?? []).some((suffix) => name === family + suffix)) return entry;
    return undefined;
  };
  text.split("\n").forEach((line, i) => {
    const fail = (why: string) => {
      throw new Error(`line ${i + 1}: ${why}: ${line}`);
    };
    if (line === "") return;
    const help = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(line);
    if (help !== null) {
      const family = families.get(help[1]!) ?? { type: "untyped", samples: [] };
      family.help = help[2]!;
      families.set(help[1]!, family);
      return;
    }
    const type = new RegExp(`^# TYPE (${NAME}) (\\w+)$`).exec(line);
    if (type !== null) {
      if (!TYPES.has(type[2]!)) fail("unknown type");
      const family = families.get(type[1]!) ?? { type: type[2]!, samples: [] };
      if (family.samples.length > 0) fail("TYPE after samples");
      family.type = type[2]!;
      families.set(type[1]!, family);
      return;
    }
    if (line.startsWith("#")) return;
    const sample = SAMPLE.exec(line);
    if (sample === null) return fail("not a sample");
    const family = familyOf(sample[1]!);
    if (family === undefined) return fail("sample of an undeclared family");
    const labels: Record<string, string> = {};
    let rest = sample[2] ?? "";
    while (rest.trim() !== "") {
      const label = LABEL.exec(rest);
      if (label === null) return fail("bad labels");
      if (label[1]! in labels) fail("duplicate label");
      labels[label[1]!] = label[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
      rest = rest.slice(label[0].length);
    }
    const raw = sample[3]!;
    // Prometheus reads values with Go's ParseFloat: NaN and Inf in any case (prom-client writes "Nan").
    const nan = /^nan$/i.test(raw);
    const value = nan ? NaN : /^[+-]?inf(inity)?$/i.test(raw) ? (raw.startsWith("-") ? -Infinity : Infinity) : Number(raw);
    if (!nan && Number.isNaN(value)) fail("not a number");
    family.samples.push({ name: sample[1]!, labels, value });
  });
  return families;
}

/** The value of the one sample of `name` with exactly these labels; undefined when absent. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values())
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      const keys = Object.keys(sample.labels);
      if (keys.length === Object.keys(labels).length && keys.every((key) => sample.labels[key] === labels[key])) return sample.value;
    }
  return undefined;
}
