// Runs a WebAssembly program built for wasm32-wasip1 (a benchmark's main) under node's WASI,
// passing it the remaining arguments: `node tests/bench/wasi-run.mjs FILE.wasm [ARGS…]`.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
