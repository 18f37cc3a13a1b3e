/**
 * hi6-monitor: streams a REST GET through the session's MONITOR into the
 * flow. It starts when the session is ready (autoStart) or on any input,
 * stops on "stop", shows the achieved rate at most once a second, and says
 * so when a newer MONITOR on the session replaced it or a STOP ended it.
 */

import type { MonitorRequest } from "../client/types";
import { describeError, Hi6Error } from "../protocol/errors";
import { JOINT_STATES_PATH } from "../protocol/openapi";
import type { MonitorPayload } from "../protocol/recipes";
import { Validation, validateMonitorPayload, ValidationWarning } from "../protocol/validate";
import { jsonObjectSetting } from "./json-setting";
import { DropReport } from "./monitor-drops";
import { numberSetting } from "./number-setting";
import { DEFAULT_QUEUE, MonitorOutput, OUTPUT_MODES, OutputMode } from "./monitor-output";
import type { Node, NodeAPI, NodeDef, NodeDone, NodeMessage } from "./node-red";
import { asHi6Error, attachError, flowError } from "./node-errors";
import { SessionApi, sessionFor } from "./session-api";
import { count, StatusLine, StatusView, view } from "./status";

export interface MonitorNodeDef extends NodeDef {
  session?: string;
  url?: string;
  period?: number | string;
  args?: string;
  autoStart?: boolean | string;
  output?: string;
  interval?: number | string;
  queue?: number | string;
}

const RATE_EVERY_MS = 1000;

function isStop(msg: NodeMessage): boolean {
  return msg.payload === "stop" || msg.topic === "stop";
}

/** A MONITOR as it entered (for the msg an error is raised with) and its one check against the recipe's rules. */
interface Wanted {
  request: MonitorRequest;
  check: Validation<MonitorPayload>;
}

function wantedFrom(request: MonitorRequest): Wanted {
  return { request, check: validateMonitorPayload({ ...request, method: "GET" }) };
}

/** The catalogue key of each warning the rules can give; any other is logged as the rules wrote it. */
const WARNING_KEYS: Record<string, string> = { period_clamped: "hi6-monitor.warnings.periodClamped" };

export class MonitorNode {
  private readonly line: StatusLine;
  private readonly config: MonitorRequest | Hi6Error;
  private readonly autoStart: boolean;
  private readonly output: MonitorOutput;
  private readonly drops: DropReport;
  private readonly mode: OutputMode;
  /** The MONITOR this node wants running, until a STOP or a replacement ends it. */
  private wanted: Wanted | undefined;
  /** The server acked it; the client re-arms it after a reconnect by itself. */
  private armed = false;
  private starting = false;
  private received = 0;
  private rateTimer: NodeJS.Timeout | undefined;
  private rateSince = 0n;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    def: MonitorNodeDef,
  ) {
    this.line = new StatusLine(node);
    const mode = OUTPUT_MODES.includes(def.output as OutputMode) ? (def.output as OutputMode) : "all";
    this.mode = mode;
    const interval = Math.max(1, numberSetting(def.interval) ?? 100);
    const queue = Math.max(1, Math.floor(numberSetting(def.queue) ?? DEFAULT_QUEUE));
    this.drops = new DropReport((count) => this.node.warn(RED._("hi6-monitor.warnings.dropped", { count, queue })));
    this.output = new MonitorOutput({ mode, intervalMs: interval, queue }, { send: (msg) => this.node.send(msg), dropped: (n) => this.drops.add(n) });
    this.autoStart = def.autoStart === undefined ? true : def.autoStart === true || def.autoStart === "true";
    this.config = this.configRequest(def);

    const session = sessionFor(RED, def.session, this.line, node);
    if (session === undefined) return;
    if (!(this.config instanceof Hi6Error) && this.autoStart) this.wanted = wantedFrom(this.config);
    this.attach(session);
    if (this.config instanceof Hi6Error) {
      this.line.fail(view("red", "ring", "hi6-monitor.status.error", { code: this.config.code }));
      node.error(flowError(this.config));
    }
  }

  private configRequest(def: MonitorNodeDef): MonitorRequest | Hi6Error {
    const args = jsonObjectSetting(def.args);
    if (!args.ok) return new Hi6Error("invalid_args", this.RED._("hi6-monitor.errors.invalidArgs", { reason: args.reason }));
    const request: MonitorRequest = { url: def.url || JOINT_STATES_PATH, period_ms: Math.round(numberSetting(def.period) ?? 10) };
    if (Object.keys(args.value).length > 0) request.args = args.value;
    return request;
  }

  private attach(session: SessionApi): void {
    const node = this.node;
    session.register(this.line.user(node.id));
    session.onEvent(node, "state", (change) => {
      if (change.state === "ready") this.startWanted(session);
      else this.pauseRate();
    });
    session.onEvent(node, "data", ({ event, dropped }) => {
      this.received += 1 + dropped;
      this.output.push(event, this.wanted?.request.url ?? "", dropped);
    });
    session.onEvent(node, "monitorAck", () => this.armedNow());
    session.onEvent(node, "monitorRearmed", () => this.armedNow());
    session.onEvent(node, "monitorReplaced", () => this.ended(view("yellow", "ring", "hi6-monitor.status.replaced")));
    session.onEvent(node, "stopped", ({ target }) => {
      // A monitor that never ran keeps what it shows, a fault above all.
      if (target !== "control") this.ended(this.wanted !== undefined || this.armed ? view("grey", "ring", "hi6-monitor.status.stopped") : undefined);
    });

    node.on("input", (msg, _send, done) => this.input(session, msg, done));
    node.on("close", (removed, done) => {
      this.ended(undefined);
      this.drops.dispose();
      session.deregister(node, done, removed);
    });
    if (session.state?.state === "ready") this.startWanted(session);
  }

  private input(session: SessionApi, msg: NodeMessage, done: NodeDone): void {
    if (isStop(msg)) {
      session.stop(this.node, "monitor").then(
        () => done(),
        (err: unknown) => this.fail(msg, asHi6Error(err), done),
      );
      return;
    }
    if (this.config instanceof Hi6Error) return this.fail(msg, this.config, done);
    const request: MonitorRequest = { ...this.config };
    if (msg.url !== undefined) request.url = msg.url as string;
    if (msg.period !== undefined) request.period_ms = msg.period as number;
    if (msg.args !== undefined) request.args = msg.args as MonitorRequest["args"];
    // Checked once, here, so input that would break a rule is refused even
    // while the session is not ready to take it; the session takes it as checked.
    const wanted = wantedFrom(request);
    if (!wanted.check.ok) return this.fail(msg, new Hi6Error(wanted.check.code, wanted.check.message), done);
    this.wanted = wanted;
    this.armed = false;
    // A session closed by STOP session has no state: this command opens it again.
    if (session.state !== undefined && session.state.state !== "ready") {
      this.line.show(view("yellow", "ring", "hi6-monitor.status.waiting"));
      return done();
    }
    this.start(session, wanted).then(
      () => done(),
      (err: Hi6Error) => this.fail(msg, err, done),
    );
  }

  private startWanted(session: SessionApi): void {
    if (this.wanted === undefined || this.armed || this.starting) return;
    const wanted = this.wanted;
    const request = wanted.request;
    this.start(session, wanted).catch((err: Hi6Error) => {
      // The server said no: asking again on every reconnect would only repeat it. A msg can retry.
      if (!describeError(err.code).local) this.wanted = undefined;
      // No msg started this MONITOR, so one is made for it: Catch nodes only hear errors with a msg.
      const msg: NodeMessage = { topic: request.url, payload: { ...request } };
      this.node.error(flowError(err), attachError(msg, err));
    });
  }

  private async start(session: SessionApi, wanted: Wanted): Promise<void> {
    const check = wanted.check;
    if (!check.ok) {
      const err = new Hi6Error(check.code, check.message);
      this.line.fail(view("red", "ring", "hi6-monitor.status.error", { code: err.code }));
      throw err;
    }
    for (const warning of check.warnings) this.node.warn(this.warningText(warning));
    this.starting = true;
    this.drops.restart();
    try {
      await session.monitor(this.node, check.value);
    } catch (err) {
      const e = asHi6Error(err);
      // Only a protocol code is a refusal; a session that is not ready shows its own state.
      if (!describeError(e.code).local) this.line.fail(view("red", "ring", "hi6-monitor.status.error", { code: e.code }));
      throw e;
    } finally {
      this.starting = false;
    }
  }

  private warningText(warning: ValidationWarning): string {
    const key = WARNING_KEYS[warning.code];
    return key === undefined ? warning.message : this.RED._(key, warning.params);
  }

  private armedNow(): void {
    this.armed = true;
    this.line.show(view("green", "dot", "hi6-monitor.status.armed"));
    this.received = 0;
    this.rateSince = process.hrtime.bigint();
    if (this.rateTimer === undefined) this.rateTimer = setInterval(() => this.showRate(), RATE_EVERY_MS);
  }

  private showRate(): void {
    const now = process.hrtime.bigint();
    const seconds = Number(now - this.rateSince) / 1e9;
    const hz = seconds > 0 ? Math.round(this.received / seconds) : 0;
    this.received = 0;
    this.rateSince = now;
    const skipped = this.output.merged;
    this.output.merged = 0;
    // Losses outrank skips: latest mode skips older samples by design, and loses nothing it
    // promised; a batch carries every sample, so batch mode shows the rate alone.
    if (this.drops.total > 0) this.line.show(view("yellow", "dot", "hi6-monitor.status.dropped", { hz, dropped: count(this.drops.total), droppedTotal: this.drops.total }));
    else if (skipped > 0 && this.mode === "latest") this.line.show(view("green", "dot", "hi6-monitor.status.skipped", { hz, skipped: count(skipped) }));
    else this.line.show(view("green", "dot", "hi6-monitor.status.rate", { hz }));
  }

  /** The connection is down: the rate would only read 0 Hz over the session's own status. */
  private pauseRate(): void {
    if (this.rateTimer !== undefined) clearInterval(this.rateTimer);
    this.rateTimer = undefined;
  }

  /** This node's MONITOR is over (stopped, replaced, closed): nothing more is sent or re-armed. */
  private ended(v: StatusView | undefined): void {
    this.wanted = undefined;
    this.armed = false;
    this.pauseRate();
    this.output.stop();
    if (v !== undefined) this.line.show(v);
  }

  private fail(msg: NodeMessage, err: Hi6Error, done: NodeDone): void {
    attachError(msg, err);
    this.line.fail(view("red", "ring", "hi6-monitor.status.error", { code: err.code }));
    done(flowError(err));
  }

}

export function registerMonitorNode(RED: NodeAPI): void {
  RED.nodes.registerType("hi6-monitor", function (this: Node, def: MonitorNodeDef) {
    RED.nodes.createNode(this, def);
    new MonitorNode(RED, this, def);
  });
}
