#!/usr/bin/env node
// Node 22.18+ strips TypeScript types natively: the CLI runs from source, no build step.
import { main } from "../functions/src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2));
