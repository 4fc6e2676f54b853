// Run a wasm32-wasi command under node's WASI (bench/run uses it to time node).
// Usage: node --no-warnings node-wasi.mjs [--preopen GUEST=HOST]... FILE.wasm [ARGS...]
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
while (argv.length >= 2 && argv[0] === '--preopen') {
    const [guest, host] = argv[1].split('=');
    preopens[guest] = host;
    argv.splice(0, 2);
}
const [file, ...args] = argv;
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, preopens, returnOnExit: true });
const module = new WebAssembly.Module(readFileSync(file));
const instance = new WebAssembly.Instance(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
