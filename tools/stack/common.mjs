// Shared by the tools/stack/ modules: the repository root, the loopback address, StackError,
// progress logging and small file helpers. Only node: built-ins, no top-level await (see
// tools/stack.mjs).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Loopback only, as an address literal: "localhost" may resolve to ::1, which kafkajs cannot parse
// back out of broker metadata.
export const HOST = '127.0.0.1';
export const TOOL_TIMEOUT_MS = 10 * 60_000;
export const POLL_MS = 250;

export class StackError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StackError';
  }
}

export function makeLogger(options) {
  if (typeof options.log === 'function') return options.log;
  if (options.quiet) return () => {};
  return (...args) => process.stderr.write(`[stack] ${format(...args)}\n`);
}

export function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT' || err instanceof SyntaxError) return null;
    throw err;
  }
}

export function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written whole then renamed, so a reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
