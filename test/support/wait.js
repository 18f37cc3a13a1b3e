"use strict";
/**
 * Polls until `predicate` holds and resolves with its value; fails with
 * `what` after `timeoutMs`. Tests wait on behaviour, never on fixed sleeps;
 * the timeout is generous because a busy machine only makes things later.
 */
async function until(predicate, what, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The one wait for a claim that something does NOT happen: `predicate` must
 * hold at every poll for `windowMs`, and the first poll where it fails
 * fails the test at once. A busy machine can only make such a claim easier
 * to pass, never fail it falsely, so the window is a plain duration.
 * Positive claims use `until`.
 */
async function holdsFor(predicate, what, windowMs) {
  const end = Date.now() + windowMs;
  for (;;) {
    if (!(await predicate())) throw new Error(`${what}: broken within ${windowMs} ms`);
    if (Date.now() >= end) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

function once(emitter, event) {
  return new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
}

module.exports = { until, holdsFor, once };
