"use strict";
const net = require("node:net");
const { until } = require("./wait");

/** A bare NDJSON socket for talking to the simulator exactly as a wire would. */
class RawClient {
  static async connect(port) {
    const c = new RawClient(net.connect(port, "127.0.0.1"));
    await new Promise((resolve, reject) => c.socket.once("connect", resolve).once("error", reject));
    return c;
  }

  constructor(socket) {
    this.socket = socket;
    this.events = [];
    this.closed = false;
    let buf = "";
    socket.setEncoding("utf8");
    socket.on("data", (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line) this.events.push(JSON.parse(line));
      }
    });
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => undefined);
  }

  send(obj) {
    this.socket.write((typeof obj === "string" ? obj : JSON.stringify(obj)) + "\n");
  }

  /** Waits for the next event matching `pred` after index `from`, and returns it. */
  async next(pred, what = "event", from = 0) {
    let found;
    await until(() => (found = this.events.slice(from).find(pred)) !== undefined, what);
    return found;
  }

  async handshake() {
    this.send({ cmd: "HANDSHAKE", payload: { major: 1 } });
    return this.next((e) => e.type === "handshake_ack", "handshake_ack");
  }

  close() {
    this.socket.destroy();
  }
}

module.exports = { RawClient };
