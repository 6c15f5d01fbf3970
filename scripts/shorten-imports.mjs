// Trunk's post_build hook (Trunk.toml): gives the release .wasm's imports short names, and
// drops its `producers` and `target_features` sections (tool metadata the browser ignores).
//
// wasm-bindgen names each JavaScript function the wasm imports like
// `__wbg_getElementById_7ee213db584f37b0`, from a module named after the glue file; with about
// 190 imports their random suffixes alone cost about 4 KB of the gzipped .wasm. This renames
// every import to a short name (`a`, `b`, … `aa`) from a module `w`, in the .wasm's import
// section and in the glue's import object, and checks that the two still match one for one.
// Any surprise in either file stops the build instead of shipping a broken pair.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('shorten-imports: no TRUNK_STAGING_DIR (run it as a Trunk hook, or pass the directory)');
const files = readdirSync(dir);
const wasmName = files.find((f) => f.endsWith('_bg.wasm'));
if (!wasmName) {
  console.log('shorten-imports: no .wasm in the build; nothing to do');
  process.exit(0);
}
const jsName = wasmName.replace(/_bg\.wasm$/, '.js');
if (!files.includes(jsName)) throw new Error(`shorten-imports: ${jsName} is missing`);

const MODULE = 'w';

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

function shortName(index) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / letters.length)) {
    name = letters[(n - 1) % letters.length] + name;
  }
  return name;
}

const wasm = readFileSync(join(dir, wasmName));
const text = (bytes) => new TextDecoder().decode(bytes);
const bytesOf = (string) => [...new TextEncoder().encode(string)];
if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`shorten-imports: ${wasmName} is not WebAssembly`);

const parts = [wasm.subarray(0, 8)];
const renamed = new Map();
let glueModule = null;
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = readLeb(wasm, at + 1);
  let body = wasm.subarray(start, start + size);
  if (id === 0) {
    // Custom sections the browser ignores: the toolchain's names and the features it used.
    const [nameLength, nameAt] = readLeb(wasm, start);
    const name = text(wasm.subarray(nameAt, nameAt + nameLength));
    if (name === 'producers' || name === 'target_features') {
      at = start + size;
      continue;
    }
  }
  if (id === 2) {
    const [count, first] = readLeb(wasm, start);
    const section = [...leb(count)];
    let p = first;
    for (let i = 0; i < count; i++) {
      const [moduleLength, moduleAt] = readLeb(wasm, p);
      const module = text(wasm.subarray(moduleAt, moduleAt + moduleLength));
      const [nameLength, nameAt] = readLeb(wasm, moduleAt + moduleLength);
      const name = text(wasm.subarray(nameAt, nameAt + nameLength));
      const kindAt = nameAt + nameLength;
      if (wasm[kindAt] !== 0) throw new Error(`shorten-imports: import ${module}.${name} is not a function`);
      const [, end] = readLeb(wasm, kindAt + 1);
      glueModule ??= module;
      if (module !== glueModule) throw new Error(`shorten-imports: imports from two modules (${glueModule}, ${module})`);
      const short = shortName(i);
      renamed.set(name, short);
      section.push(...leb(MODULE.length), ...bytesOf(MODULE), ...leb(short.length), ...bytesOf(short));
      section.push(...wasm.subarray(kindAt, end));
      p = end;
    }
    if (p !== start + size) throw new Error('shorten-imports: the import section has bytes left over');
    body = Buffer.from(section);
  }
  parts.push(Buffer.from([id, ...leb(body.length)]), body);
  at = start + size;
}
if (renamed.size === 0) {
  console.log('shorten-imports: the .wasm imports nothing; nothing to do');
  process.exit(0);
}

// The glue's import object: `const import0 = { __proto__: null, NAME: function(…) {…}, … }`,
// returned as `{ __proto__: null, "<glue module>": import0 }`.
let glue = readFileSync(join(dir, jsName), 'utf8');
const moduleKey = `${JSON.stringify(glueModule)}: import0`;
if (glue.split(moduleKey).length !== 2) throw new Error(`shorten-imports: ${jsName} does not hand over ${moduleKey} once`);
glue = glue.replace(moduleKey, `${JSON.stringify(MODULE)}: import0`);
for (const [name, short] of renamed) {
  const key = new RegExp(`(\\n\\s+)${name}(: )`, 'g');
  const matches = glue.match(key)?.length ?? 0;
  if (matches !== 1) throw new Error(`shorten-imports: ${jsName} defines ${name} ${matches} times, not once`);
  glue = glue.replace(key, `$1${short}$2`);
}
for (const name of renamed.keys()) {
  if (glue.includes(name)) throw new Error(`shorten-imports: ${jsName} still names ${name} elsewhere`);
}
const out = Buffer.concat(parts);
writeFileSync(join(dir, wasmName), out);
writeFileSync(join(dir, jsName), glue);
console.log(`shorten-imports: ${renamed.size} imports renamed; ${wasm.length} → ${out.length} bytes`);
