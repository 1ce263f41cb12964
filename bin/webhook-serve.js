#!/usr/bin/env node
// Node 22+: cache compiled code between runs (faster starts); Node 20 has no such cache.
import module from "node:module";

module.enableCompileCache?.();
await import("../dist/cli/main.bundle.js");
