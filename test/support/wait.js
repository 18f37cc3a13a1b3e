"use strict";
/** Polls until `predicate` holds; fails with `what` after `timeoutMs`. Tests wait on behaviour, never on fixed sleeps. */
async function until(predicate, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function once(emitter, event) {
  return new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
}

function delay(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

module.exports = { until, once, delay };
