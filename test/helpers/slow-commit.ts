// Preloaded into a vygen child process (`node --import` this file) by the
// atomic-output tests, so that production code carries no test hook: it wraps
// fs.renameSync, which the commit uses for every move, and slows or pauses the
// renames that touch a staging directory.
//   SLOW_COMMIT_DELAY_MS=N   waits N ms before each such rename, and says
//                            "slow-commit: committing" on stderr at the first
//   SLOW_COMMIT_PAUSE=FILE   after the first new file is in place, says
//                            "slow-commit: paused after 1 rename" and waits
//                            (at most 10 s) until FILE exists
//   SLOW_COMMIT_STAGE_PAUSE=FILE  after the first file is staged (before any
//                            rename), says "slow-commit: paused while staging"
//                            and waits (at most 10 s) until FILE exists
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const STAGING = '.vygen-';
const delay = Math.min(Number(process.env.SLOW_COMMIT_DELAY_MS ?? 0) || 0, 10000);
const marker = process.env.SLOW_COMMIT_PAUSE;
const original = fs.renameSync;
const tick = new Int32Array(new SharedArrayBuffer(4));
let started = false;
let placed = 0; // new files renamed into place
let paused = false;

function sleep(ms: number): void {
  Atomics.wait(tick, 0, 0, ms);
}

fs.renameSync = function renameSync(from: fs.PathLike, to: fs.PathLike): void {
  const inCommit = String(from).includes(STAGING) || String(to).includes(STAGING);
  if (inCommit && !started) {
    started = true;
    process.stderr.write('slow-commit: committing\n');
  }
  if (inCommit && delay > 0) sleep(delay);
  if (inCommit && marker && placed === 1 && !paused) {
    paused = true;
    process.stderr.write('slow-commit: paused after 1 rename\n');
    for (let waited = 0; waited < 10000 && !fs.existsSync(marker); waited += 10) sleep(10);
  }
  original(from, to);
  if (String(from).includes(STAGING) && String(from).includes('/new/')) placed++;
};
const stageMarker = process.env.SLOW_COMMIT_STAGE_PAUSE;
const originalWrite = fs.writeFileSync;
let stagePaused = false;
fs.writeFileSync = function writeFileSync(...args: Parameters<typeof fs.writeFileSync>): void {
  originalWrite(...args);
  const path = String(args[0]);
  if (stageMarker && !stagePaused && path.includes(STAGING) && path.includes('/new/')) {
    stagePaused = true;
    process.stderr.write('slow-commit: paused while staging\n');
    for (let waited = 0; waited < 10000 && !fs.existsSync(stageMarker); waited += 10) sleep(10);
  }
};
syncBuiltinESMExports();
