/**
 * @module Build step before `tsc`: empty dist/, so files of removed modules are not packed
 * (`tsc` only ever adds). Node, not `rm -rf`, so it runs wherever npm does.
 */
import { rmSync } from "node:fs";

rmSync(new URL("../dist/", import.meta.url), { recursive: true, force: true });
