/**
 * The session's own request kinds, run in the worker: MONITOR, CONTROL,
 * STOP and close. Each maps onto one OpenStreamClient call.
 */

import { handleCommand, handleRequest } from "./worker-dispatch";
import { errorToJson } from "./messages";

handleRequest("monitor", (ctx, { request, tag }) => ctx.client.monitor(ctx.monitorGate?.request(request, tag) ?? request, tag));

handleRequest("stop", async (ctx, { target }) => {
  ctx.lifecycle.emit("stopping", target);
  const result = await ctx.client.stop(target);
  ctx.lifecycle.emit("stopped", target);
  return result;
});

handleRequest("close", async (ctx, { stopSession }) => {
  ctx.lifecycle.emit("closing");
  await ctx.client.close({ stopSession });
  return null;
});

// CONTROL has no ack, so nothing waits for it across the thread; a write the
// client refuses (not ready, queue full) is reported like a server error
// attributed to the same sender.
handleCommand("control", (ctx, { payload, tag }) => {
  try {
    ctx.client.control(payload, tag);
  } catch (err) {
    ctx.emit("controlError", { error: errorToJson(err), tag });
  }
});
