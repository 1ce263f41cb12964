import { describe, expect, it } from "vitest";
import { resolveServeOptions } from "../../../src/cli/resolve-options.js";

const file = { host: "10.0.0.1", port: 9000, logLevel: "debug" as const, drainDelay: 2000 };

describe("serve option precedence: flag > env > file > default", () => {
  it("takes the file's values when nothing else is given", () => {
    expect(resolveServeOptions({}, {}, file)).toEqual({ ok: true, options: { host: "10.0.0.1", port: 9000, logLevel: "debug", drainDelay: 2000 } });
  });
  it("lets the environment override the file", () => {
    expect(resolveServeOptions({}, { PORT: "7000", HOST: "0.0.0.0", LOG_LEVEL: "warn" }, file)).toEqual({
      ok: true,
      options: { host: "0.0.0.0", port: 7000, logLevel: "warn", drainDelay: 2000 },
    });
  });
  it("lets flags override the environment", () => {
    expect(resolveServeOptions({ port: "6000", host: "::1", logLevel: "error" }, { PORT: "7000", HOST: "0.0.0.0", LOG_LEVEL: "warn" }, file)).toEqual({
      ok: true,
      options: { host: "::1", port: 6000, logLevel: "error", drainDelay: 2000 },
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

describe("drain delay: --drain-delay > server.drainDelay; auto is 5s, 0 on a terminal", () => {
  const auto = { ...file, drainDelay: "auto" as const };
  it("resolves auto by whether stdout is a terminal", () => {
    expect(resolveServeOptions({}, {}, auto)).toMatchObject({ ok: true, options: { drainDelay: 5000 } });
    expect(resolveServeOptions({}, {}, auto, true)).toMatchObject({ ok: true, options: { drainDelay: 0 } });
  });
  it("keeps a delay the file sets, on a terminal too", () => {
    expect(resolveServeOptions({}, {}, file, true)).toMatchObject({ ok: true, options: { drainDelay: 2000 } });
  });
  it("takes the flag as a duration or milliseconds, and refuses anything else", () => {
    expect(resolveServeOptions({ drainDelay: "0" }, {}, file)).toMatchObject({ ok: true, options: { drainDelay: 0 } });
    expect(resolveServeOptions({ drainDelay: "1.5s" }, {}, auto)).toMatchObject({ ok: true, options: { drainDelay: 1500 } });
    expect(resolveServeOptions({ drainDelay: "soon" }, {}, file)).toEqual({
      ok: false,
      problems: ['--drain-delay: "soon" must be a duration like 500ms, 4s, 10m, 1h or a number of milliseconds'],
    });
  });
});
