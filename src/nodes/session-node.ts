/**
 * The hi6-session config node. It starts a session worker when the first
 * node registers and lets it go when the last one leaves; it routes the
 * worker's events to the nodes they belong to, shows the session state on
 * every user, applies a STOP's local effects, and on close sends STOP
 * session, terminates the worker and drops every listener it added.
 */

import type { StateChange, StopResult } from "../client/types";
import { Hi6Error } from "../protocol/errors";
import type { ControlPayload, MonitorPayload, StopTarget } from "../protocol/recipes";
import type { Checked } from "../protocol/validate";
import type { Node, NodeAPI, NodeDef, Translate } from "./node-red";
import { errorText, flowError } from "./node-errors";
import { readJointPositions, readPlayback } from "../client/rest";
import type { AbortReason } from "../trajectory/abort";
import type { RunResult } from "../trajectory/runner";
import { controllerLocks } from "./controller-lock";
import type { SessionApi, SessionEventName, SessionNodeEvents, SessionUser } from "./session-api";
import { checkSessionConfig, SessionConfigCheck, SessionDef } from "./session-config";
import { sessionStateView } from "./session-status";
import { EventName, SESSION_EVENTS, TAGGED_EVENTS, TrajectoryRequest } from "./session/messages";
import { SessionProxy } from "./session/proxy";
import { FailureReport } from "./session-warnings";
import { render, StatusView, view } from "./status";
import { Throttle } from "../client/throttle";

interface Subscription {
  name: SessionEventName;
  listener: (payload: never) => void;
}

const TAGGED: ReadonlySet<SessionEventName> = new Set<SessionEventName>(TAGGED_EVENTS);

/** How long a link with no user waits for a restarted one before it is let go. */
export const LINGER_MS = 10_000;

/** How often the same warning code may reach the log. */
const WARN_EVERY_MS = 60_000;

export class Hi6Session {
  private readonly users = new Map<string, SessionUser>();
  private readonly subscriptions = new Map<string, Subscription[]>();
  private readonly warnings = new Throttle(WARN_EVERY_MS);
  private readonly failures: FailureReport;
  private readonly check: SessionConfigCheck;
  private proxy: SessionProxy | undefined;
  private change: StateChange | undefined;
  /** The user whose MONITOR is the session's one active MONITOR. */
  private monitorOwner: string | undefined;
  private closing = false;
  /** Set while the link waits, with no user, for a restarted one to come back. */
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(private readonly node: Node, def: SessionDef, translate: Translate) {
    this.failures = new FailureReport((sentence) => node.warn(sentence), translate);
    this.check = checkSessionConfig(def);
    if (!this.check.ok) node.error(flowError(this.configError(translate)));
  }

  get state(): StateChange | undefined {
    return this.change;
  }

  get major(): number {
    return this.check.ok ? this.check.config.major : 0;
  }

  register(user: SessionUser): void {
    if (this.closing) return;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.users.set(user.id, user);
    if (!this.check.ok) {
      user.status(render(view("red", "ring", "hi6-session.status.invalid", { field: this.check.field })));
      return;
    }
    if (this.proxy === undefined && this.users.size === 1) this.open();
    user.status(render(this.change === undefined ? view("yellow", "ring", "node-red:common.status.connecting") : sessionStateView(this.change, this.major)));
  }

  /**
   * `removed` is Node-RED's close flag: true when the user node was deleted,
   * false when a deploy only restarts it. As Node-RED's own mqtt-broker does,
   * the link is let go only when its last user was removed; a restarted user
   * registers again at once and finds the session still handshaked. A link
   * left with no user at all (its nodes moved to another session) is let go
   * after LINGER_MS.
   */
  deregister(user: SessionUser, done: () => void, removed = true): void {
    this.users.delete(user.id);
    this.subscriptions.delete(user.id);
    if (this.closing) return done();
    const proxy = this.proxy;
    if (this.monitorOwner === user.id && proxy !== undefined) {
      // The monitor's node is gone, or coming back with its own MONITOR: this stream would flow to nobody.
      this.monitorOwner = undefined;
      proxy.stop("monitor").catch(() => undefined);
    }
    if (this.users.size === 0 && proxy !== undefined) {
      if (removed) {
        this.letGo(proxy).then(done, done);
        return;
      }
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined;
        if (this.users.size === 0 && this.proxy === proxy) this.letGo(proxy).catch(() => undefined);
      }, LINGER_MS);
    }
    done();
  }

  /** The last user is gone: STOP session, end the worker. */
  private letGo(proxy: SessionProxy): Promise<void> {
    this.proxy = undefined;
    this.change = undefined;
    this.monitorOwner = undefined;
    return proxy.close({ stopSession: true });
  }

  onEvent<K extends SessionEventName>(user: SessionUser, name: K, listener: (payload: SessionNodeEvents[K]) => void): void {
    const list = this.subscriptions.get(user.id) ?? [];
    list.push({ name, listener: listener as (payload: never) => void });
    this.subscriptions.set(user.id, list);
  }

  monitor(user: SessionUser, request: Checked<MonitorPayload>): Promise<{ periodMs: number }> {
    const started = this.openProxy().monitor(request, user.id);
    this.monitorOwner = user.id;
    return started;
  }

  control(user: SessionUser, payload: ControlPayload): void {
    this.openProxy().control(payload, user.id);
  }

  async stop(_user: SessionUser, target: StopTarget): Promise<StopResult> {
    if (this.closing) throw new Hi6Error("session_closed");
    if (!this.check.ok) throw this.configError();
    const proxy = this.proxy;
    if (proxy === undefined) {
      // Closed by an earlier STOP session: nothing runs, so nothing needs
      // a connection opened only to be stopped.
      this.stopped(target);
      return { target, nothingToStop: true };
    }
    const result = await proxy.stop(target);
    this.stopped(target);
    if (target === "session" && this.proxy === proxy) {
      this.proxy = undefined;
      await proxy.close({ stopSession: false });
      this.showAll(view("grey", "ring", "hi6-session.status.closed"));
      this.change = undefined;
    }
    return result;
  }

  trajectory(user: SessionUser, request: Omit<TrajectoryRequest, "tag">): Promise<RunResult> {
    const proxy = this.openProxy();
    if (!this.check.ok) throw this.configError();
    // One robot, one motion: a second session to the same controller must not interleave its points.
    const release = controllerLocks.acquire(this.check.config.host, this.check.config.port, user.id);
    const points = request.points.byteLength === request.points.buffer.byteLength ? request.points : request.points.slice();
    const openApi = { host: this.check.config.host, port: this.check.config.restPort };
    const run = proxy.request("trajectory", { ...request, openApi, points, tag: user.id }, [points.buffer as ArrayBuffer]);
    run.then(release, release);
    return run;
  }

  abortTrajectory(user: SessionUser, reason: AbortReason): void {
    if (this.proxy !== undefined && !this.closing) this.proxy.command({ type: "abortTrajectory", reason, tag: user.id });
  }

  readPose(): Promise<number[]> {
    if (!this.check.ok) return Promise.reject(this.configError());
    return readJointPositions(this.check.config.host, this.check.config.restPort);
  }

  readPlayback(): Promise<"playing" | "stopped" | "absent"> {
    if (!this.check.ok) return Promise.reject(this.configError());
    return readPlayback(this.check.config.host, this.check.config.restPort);
  }

  /** Node-RED's close: STOP session when possible, end the worker, forget everyone. */
  close(done: () => void): void {
    this.closing = true;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const proxy = this.proxy;
    this.proxy = undefined;
    this.users.clear();
    this.subscriptions.clear();
    if (proxy === undefined) return done();
    proxy.close({ stopSession: true }).then(done, done);
  }

  private configError(translate?: Translate): Hi6Error {
    if (this.check.ok) return new Hi6Error("invalid_config");
    const text = translate === undefined ? `${this.check.field} ${this.check.value}` : translate(this.check.key, { value: this.check.value });
    return new Hi6Error("invalid_config", text);
  }

  /** The running proxy, or a new one when an earlier STOP session closed it. */
  private openProxy(): SessionProxy {
    if (this.closing) throw new Hi6Error("session_closed");
    if (!this.check.ok) throw this.configError();
    return this.proxy ?? this.open();
  }

  private open(): SessionProxy {
    if (!this.check.ok) throw this.configError();
    const { host, port, major, reconnect } = this.check.config;
    const proxy = new SessionProxy({ client: { host, port, major, reconnect } });
    this.proxy = proxy;
    for (const name of SESSION_EVENTS) {
      proxy.on(name, (payload: SessionNodeEvents[typeof name]) => {
        if (this.proxy === proxy) this.route(name, payload);
      });
    }
    return proxy;
  }

  private route(name: EventName, payload: SessionNodeEvents[EventName]): void {
    switch (name) {
      case "state": {
        const change = payload as StateChange;
        this.change = change;
        this.showAll(sessionStateView(change, this.major));
        this.failures.state(change, this.major);
        break;
      }
      case "serverError":
        this.warnOnce((payload as SessionNodeEvents["serverError"]).error);
        break;
      case "warning": {
        const w = payload as SessionNodeEvents["warning"];
        this.warnOnce(new Hi6Error(w.code, w.message));
        break;
      }
      case "data":
        if (this.monitorOwner !== undefined) this.deliverTo(this.monitorOwner, name, payload);
        return;
      default:
        break;
    }
    if (TAGGED.has(name)) {
      const tag = (payload as { tag: unknown }).tag;
      if (typeof tag === "string") this.deliverTo(tag, name, payload);
      return;
    }
    for (const userId of [...this.subscriptions.keys()]) this.deliverTo(userId, name, payload);
  }

  /** A STOP's local effects: the monitor is no longer anyone's, and every user hears it. */
  private stopped(target: StopTarget): void {
    if (target !== "control") this.monitorOwner = undefined;
    for (const userId of [...this.subscriptions.keys()]) this.deliverTo(userId, "stopped", { target });
  }

  private deliverTo(userId: string, name: SessionEventName, payload: SessionNodeEvents[SessionEventName]): void {
    const list = this.subscriptions.get(userId);
    if (list === undefined) return;
    for (const sub of list) {
      if (sub.name !== name) continue;
      try {
        (sub.listener as (p: unknown) => void)(payload);
      } catch (err) {
        // One node's bug must not keep the event from the others.
        this.node.error(err);
      }
    }
  }

  private showAll(v: StatusView): void {
    const status = render(v);
    for (const user of this.users.values()) user.status({ ...status });
  }

  private warnOnce(err: Hi6Error): void {
    if (this.warnings.pass(err.code)) this.node.warn(errorText(err));
  }
}

/** The methods the config node carries for its users. */
function installApi(node: Node, session: Hi6Session): void {
  const api: Omit<SessionApi, "type" | "state" | "major"> = {
    register: (user) => session.register(user),
    deregister: (user, done, removed) => session.deregister(user, done, removed),
    onEvent: (user, name, listener) => session.onEvent(user, name, listener),
    monitor: (user, request) => session.monitor(user, request),
    control: (user, payload) => session.control(user, payload),
    stop: (user, target) => session.stop(user, target),
    trajectory: (user, request) => session.trajectory(user, request),
    abortTrajectory: (user, reason) => session.abortTrajectory(user, reason),
    readPose: () => session.readPose(),
    readPlayback: () => session.readPlayback(),
  };
  Object.assign(node, api);
  Object.defineProperty(node, "state", { get: () => session.state });
  Object.defineProperty(node, "major", { get: () => session.major });
}

export interface SessionNodeDef extends NodeDef, SessionDef {}

export function registerSessionNode(RED: NodeAPI): void {
  RED.nodes.registerType("hi6-session", function (this: Node, def: SessionNodeDef) {
    RED.nodes.createNode(this, def);
    const session = new Hi6Session(this, def, RED._);
    installApi(this, session);
    this.on("close", (_removed, done) => session.close(done));
  });
}
