import { describe, expect, it } from "vitest";
import { resolveServeOptions } from "../../../src/cli/resolve-options.js";

const file = { host: "10.0.0.1", port: 9000, logLevel: "debug" as const };

describe("serve option precedence: flag > env > file > default", () => {
  it("takes the file's values when nothing else is given", () => {
    expect(resolveServeOptions({}, {}, file)).toEqual({ ok: true, options: { host: "10.0.0.1", port: 9000, logLevel: "debug" } });
  });
  it("lets the environment override the file", () => {
    expect(resolveServeOptions({}, { PORT: "7000", HOST: "0.0.0.0", LOG_LEVEL: "warn" }, file)).toEqual({
      ok: true,
      options: { host: "0.0.0.0", port: 7000, logLevel: "warn" },
    });
  });
  it("lets flags override the environment", () => {
    expect(resolveServeOptions({ port: "6000", host: "::1", logLevel: "error" }, { PORT: "7000", HOST: "0.0.0.0", LOG_LEVEL: "warn" }, file)).toEqual({
      ok: true,
      options: { host: "::1", port: 6000, logLevel: "error" },
    });
  });
  it("ignores empty environment values", () => {
    expect(resolveServeOptions({}, { PORT: "" }, file)).toMatchObject({ ok: true, options: { port: 9000 } });
  });
  it("refuses a blank or non-numeric port instead of taking any free one", () => {
    expect(resolveServeOptions({ port: "" }, {}, file)).toEqual({ ok: false, problems: ['--port: "" is not a port number (0-65535)'] });
    expect(resolveServeOptions({}, { PORT: " " }, file)).toEqual({ ok: false, problems: ['PORT: " " is not a port number (0-65535)'] });
    expect(resolveServeOptions({ port: "0x50" }, {}, file)).toMatchObject({ ok: false });
    expect(resolveServeOptions({ port: "0" }, {}, file)).toMatchObject({ ok: true, options: { port: 0 } });
  });
  it("reports every bad value, naming where it came from", () => {
    expect(resolveServeOptions({ port: "99999" }, { LOG_LEVEL: "loud" }, file)).toEqual({
      ok: false,
      problems: ['--port: "99999" is not a port number (0-65535)', 'LOG_LEVEL: "loud" must be one of fatal, error, warn, info, debug, trace, silent'],
    });
  });
});
