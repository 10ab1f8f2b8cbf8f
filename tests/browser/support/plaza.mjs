// Starts a Plaza of its own for one test file: a fresh SQLite database in a temporary
// directory, migrated and seeded with the demo shop, served on a port the kernel picks.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

// The staff account and shop that `plaza seed-demo` creates (app/src/demo.cpp, DemoLogin).
export const demo = Object.freeze({
  shop: 'aurelle',
  email: 'owner@aurelle.example',
  password: 'aurelle-demo-owner',
});

export function plazaBinary() {
  const binary = process.env.PLAZA_BINARY;
  if (!binary) {
    throw new Error('PLAZA_BINARY is not set: run these tests through ctest, or point it at a built `plaza`');
  }
  return binary;
}

// Where screenshots and server logs go; CTest passes a directory in the build tree.
export async function artifactDir(name) {
  const root = process.env.PLAZA_BROWSER_ARTIFACTS || join(tmpdir(), 'plaza-browser-artifacts');
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

function run(binary, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`plaza ${args[0]} exited with ${code}:\n${output}`));
    });
  });
}

// `plaza serve` logs "plaza serving on http://HOST:PORT with …" once it listens.
function waitForPort(child, log) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      const match = /plaza serving on http:\/\/[^\s:]+:(\d+)/.exec(seen);
      if (match) {
        cleanup();
        resolve(Number(match[1]));
      }
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`plaza serve exited with ${code} before listening; see ${log}:\n${seen}`));
    };
    const cleanup = () => {
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', onExit);
  });
}

async function waitForReady(base, child) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`plaza serve exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.ok) return;
    } catch {
      // Not accepting yet.
    }
    await sleep(50);
  }
}

// Returns { base, dir, log, stop() }. `name` names the artifact folder for the server log.
export async function startPlaza(name) {
  const binary = plazaBinary();
  const dir = await mkdtemp(join(tmpdir(), 'plaza-browser-'));
  const database = join(dir, 'plaza.db');
  await run(binary, ['migrate', '--database', database]);
  await run(binary, ['seed-demo', '--database', database, '--data-dir', dir]);

  const log = join(await artifactDir(name), 'plaza.log');
  const logStream = createWriteStream(log);
  const child = spawn(binary, ['serve', '--database', database, '--listen', '127.0.0.1:0', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  const port = await waitForPort(child, log);
  const base = `http://127.0.0.1:${port}`;
  await waitForReady(base, child);

  return {
    base,
    dir,
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
        await exited;
        clearTimeout(timer);
      }
      logStream.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
