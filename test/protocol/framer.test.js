"use strict";
const assert = require("node:assert/strict");
const { NdjsonFramer, DEFAULT_MAX_LINE_BYTES } = require("../../nodes/protocol/framer");

function framer(maxLineBytes) {
  const lines = [];
  const overflows = [];
  const f = new NdjsonFramer({ line: (l) => lines.push(l), overflow: (n) => overflows.push(n) }, maxLineBytes ? { maxLineBytes } : {});
  return { f, lines, overflows };
}

/** What the framer must produce: split on \n, drop a trailing \r, skip empty lines, keep the unfinished tail. */
function referenceSplit(buf) {
  const parts = buf.toString("utf8").split("\n");
  parts.pop();
  return parts.map((p) => (p.endsWith("\r") ? p.slice(0, -1) : p)).filter((p) => p.length > 0);
}

function seeded(seed) {
  return () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
}

function pushInChunks(f, buf, sizeOf) {
  for (let i = 0; i < buf.length; ) {
    const n = Math.max(1, Math.min(sizeOf(), buf.length - i));
    f.push(buf.subarray(i, i + n));
    i += n;
  }
}

describe("protocol: NDJSON framer", () => {
  it("a line split across chunks is delivered once, whole", () => {
    const { f, lines } = framer();
    f.push(Buffer.from('{"type":"da'));
    f.push(Buffer.from('ta","ts":1}\n'));
    assert.deepEqual(lines, ['{"type":"data","ts":1}']);
  });
  it("many lines in one chunk are delivered in order", () => {
    const { f, lines } = framer();
    f.push(Buffer.from('{"a":1}\n{"a":2}\n{"a":3}\n'));
    assert.deepEqual(lines, ['{"a":1}', '{"a":2}', '{"a":3}']);
  });
  it("a UTF-8 character split between chunks is decoded intact, at every byte offset", () => {
    const text = '{"name":"로봇 팔 🤖"}\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { f, lines } = framer();
      f.push(bytes.subarray(0, cut));
      f.push(bytes.subarray(cut));
      assert.deepEqual(lines, [text.trimEnd()], `cut at byte ${cut}`);
    }
  });
  it("\\r\\n line endings are accepted", () => {
    const { f, lines } = framer();
    f.push(Buffer.from('{"a":1}\r\n{"a":2}\r'));
    f.push(Buffer.from("\n"));
    assert.deepEqual(lines, ['{"a":1}', '{"a":2}']);
  });
  it("empty lines are skipped", () => {
    const { f, lines } = framer();
    f.push(Buffer.from('\n\n{"a":1}\n\r\n\n'));
    assert.deepEqual(lines, ['{"a":1}']);
  });
  it("a line without its newline is held, not delivered", () => {
    const { f, lines } = framer();
    f.push(Buffer.from('{"a":1}'));
    assert.deepEqual(lines, []);
    assert.equal(f.pendingBytes, 7);
  });
  it("the default line limit is 1 MiB", () => assert.equal(DEFAULT_MAX_LINE_BYTES, 1024 * 1024));
  it("a line with no newline within the limit is dropped and reported once, as soon as it passes the limit, with memory bounded, and framing resumes", () => {
    const { f, lines, overflows } = framer(1000);
    f.push(Buffer.from('{"ok":1}\n'));
    for (let i = 0; i < 50; i++) {
      f.push(Buffer.alloc(300, 0x78));
      assert.ok(f.pendingBytes <= 1000, `pending ${f.pendingBytes}`);
      // The fourth 300-byte piece takes the line past 1000 bytes: reported then, not at its newline.
      assert.deepEqual(overflows, i < 3 ? [] : [1200], `after piece ${i + 1}`);
    }
    f.push(Buffer.from('tail\n{"ok":2}\n'));
    assert.deepEqual(lines, ['{"ok":1}', '{"ok":2}']);
    assert.deepEqual(overflows, [1200], "reported once");
  });
  it("large chunks are decoded a window at a time: lines across window edges, a line longer than the window, multibyte text and CRLF all come out as the reference split", () => {
    const rnd = seeded(11);
    const parts = [];
    for (let i = 0; i < 400; i++) {
      const n = Math.floor(rnd() * 3000);
      parts.push(JSON.stringify({ i, text: "한글ü€".repeat(n % 50) + "x".repeat(n) }) + (i % 7 === 0 ? "\r\n" : "\n"));
      if (i === 200) parts.push(JSON.stringify({ long: "y".repeat(100 * 1024) }) + "\n", "\n\n");
    }
    const buf = Buffer.from(parts.join(""));
    assert.ok(buf.length > 3 * 64 * 1024, "spans several windows");
    const { f, lines, overflows } = framer();
    f.push(buf);
    assert.deepEqual(lines, referenceSplit(buf));
    assert.deepEqual(overflows, []);
  });
  it("within one large chunk, a line over a small limit is dropped and the lines around it still arrive", () => {
    const { f, lines, overflows } = framer(100);
    f.push(Buffer.from(`{"a":1}\n${"z".repeat(150)}\n{"b":2}\n${"w".repeat(99)}\n`));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', "w".repeat(99)]);
    assert.deepEqual(overflows, [150]);
  });
  it("an oversized line inside one chunk is dropped and reported", () => {
    const { f, lines, overflows } = framer(10);
    f.push(Buffer.from('xxxxxxxxxxxxxxxxxxxx\n{"a":1}\n'));
    assert.deepEqual(lines, ['{"a":1}']);
    assert.deepEqual(overflows, [20]);
  });
  it("a sink that checks UTF-8 gets each line whose bytes do not decode refused, alone, wherever it falls in a chunk; the lines around it arrive", () => {
    const lines = [];
    const invalid = [];
    const f = new NdjsonFramer({ line: (l) => lines.push(l), overflow() {}, invalidUtf8: (n) => invalid.push(n) });
    const bad = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const good = (i) => Buffer.from(`{"i":${i},"s":"한글"}`);
    const chunk = Buffer.concat([good(1), Buffer.from("\n"), bad, Buffer.from("\n"), good(2), Buffer.from("\n"), bad, Buffer.from("\n")]);
    for (let cut = 0; cut <= chunk.length; cut += 7) {
      lines.length = 0;
      invalid.length = 0;
      f.push(chunk.subarray(0, cut));
      f.push(chunk.subarray(cut));
      assert.deepEqual(lines, ['{"i":1,"s":"한글"}', '{"i":2,"s":"한글"}'], `cut at ${cut}`);
      assert.deepEqual(invalid, [bad.length, bad.length], `cut at ${cut}`);
    }
  });
  it("without that check, bytes that do not decode become U+FFFD, as TextDecoder does", () => {
    const lines = [];
    const f = new NdjsonFramer({ line: (l) => lines.push(l), overflow() {} });
    f.push(Buffer.concat([Buffer.from([0x61, 0xff, 0x62]), Buffer.from("\n")]));
    assert.deepEqual(lines, ["a\ufffdb"]);
  });
  it("reset forgets a partial line", () => {
    const { f, lines } = framer();
    f.push(Buffer.from('{"half'));
    f.reset();
    f.push(Buffer.from('{"a":1}\n'));
    assert.deepEqual(lines, ['{"a":1}']);
    assert.equal(f.pendingBytes, 0);
  });
  it("the caller may reuse a chunk's memory after push", () => {
    const { f, lines } = framer();
    const chunk = Buffer.from('{"a":1');
    f.push(chunk);
    chunk.fill(0x20);
    f.push(Buffer.from("}\n"));
    assert.deepEqual(lines, ['{"a":1}']);
  });
  it("random chunkings produce exactly the reference split", () => {
    const rnd = seeded(12345);
    const source = [];
    for (let i = 0; i < 400; i++) {
      const kind = i % 7;
      source.push(kind === 0 ? "" : kind === 1 ? `{"k":"한국어 ${i} é"}\r` : JSON.stringify({ type: "data", ts: i, result: { position: [i, 90, 0.5, -1e-9, -90, 0] } }));
    }
    const bytes = Buffer.from(source.join("\n") + "\n");
    const expected = referenceSplit(bytes);
    for (let run = 0; run < 60; run++) {
      const { f, lines } = framer();
      const max = [1, 3, 17, 256, 4096, 65536][run % 6];
      pushInChunks(f, bytes, () => 1 + Math.floor(rnd() * max));
      assert.deepEqual(lines, expected, `run ${run}, chunks up to ${max} bytes`);
    }
  });
  it("1-byte chunking delivers every line intact", () => {
    const bytes = Buffer.from('{"a":"ü"}\n{"b":[1,2,3]}\r\n\n{"c":"🤖"}\n');
    const { f, lines } = framer();
    pushInChunks(f, bytes, () => 1);
    assert.deepEqual(lines, referenceSplit(bytes));
  });
});
