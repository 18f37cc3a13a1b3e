"use strict";
// A loopback Open Stream peer whose every answer the test writes: the strict or misbehaving
// servers the virtual controller does not play. It frames lines, records them in order, and
// hands each parsed recipe to the test's script with a way to answer on that connection.
const net = require("node:net");

class ScriptServer {
  /** `script(recipe, reply, conn)` runs for every line; the default answers HANDSHAKE only. */
  static async start(script) {
    const s = new ScriptServer(script);
    await new Promise((resolve) => s.server.listen(0, "127.0.0.1", resolve));
    s.port = s.server.address().port;
    return s;
  }

  constructor(script) {
    this.script = script;
    this.received = [];
    this.connections = 0;
    this.sockets = new Set();
    this.server = net.createServer((socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("error", () => undefined);
      let buf = "";
      const reply = (event) => !socket.destroyed && socket.write((typeof event === "string" ? event : JSON.stringify(event)) + "\n");
      socket.on("data", (chunk) => {
        buf += chunk.toString("utf8");
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          this.received.push(line);
          const recipe = JSON.parse(line);
          if (recipe.cmd === "HANDSHAKE" && !this.script(recipe, reply, socket)) reply({ type: "handshake_ack", ok: true, version: "1.0.0" });
          else if (recipe.cmd !== "HANDSHAKE") this.script(recipe, reply, socket);
        }
      });
    });
  }

  /** Lines received with the given cmd. */
  sent(cmd) {
    return this.received.filter((l) => l.includes(`"cmd":"${cmd}"`));
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

module.exports = { ScriptServer };
