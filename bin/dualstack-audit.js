#!/usr/bin/env node
// Thin shell: main() returns the exit code; only this file sets it.
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv);
