#!/usr/bin/env node
import { main } from "../dist/cli/main.js";

const code = await main(process.argv);
process.exitCode = code;
// A monitor may leave a timer or a socket open: exit once the output is flushed, not when they end.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
