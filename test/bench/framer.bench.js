"use strict";
// Framer throughput: our NdjsonFramer against the floor (JSON.parse of pre-split lines),
// a naive concat-and-split parser, and the vendor example's copy-the-rest parser, at
// random 1–16384 B, 64 KiB and 256 KiB chunks. Prints MB/s, lines/s and the ratios.
const { NdjsonFramer } = require("../../nodes/protocol/framer");
const { table, median } = require("./report");

const CORPUS_MB = Number(process.env.BENCH_CORPUS_MB || 16);
const RUNS = Number(process.env.BENCH_RUNS || 5);

function makeCorpus(bytes) {
  const lines = [];
  let size = 0;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; size < bytes; i++) {
    const q = () => Number((rnd() * 180 - 90).toFixed(6));
    const event = i % 50 === 49
      ? { type: "data", ts: i, svc_dur_ms: 0.4, result: { _type: "JObject", note: "x".repeat(1800) } }
      : { type: "data", ts: i, svc_dur_ms: Number((rnd() * 3).toFixed(3)), result: { _type: "JObject", position: [q(), q(), q(), q(), q(), q()], velocity: [q(), q(), q(), q(), q(), q()], effort: [q(), q(), q(), q(), q(), q()] } };
    const line = JSON.stringify(event);
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return { lines, buffer: Buffer.from(lines.join("\n") + "\n") };
}

function chunk(buffer, sizeOf) {
  const out = [];
  for (let i = 0; i < buffer.length; ) {
    const n = Math.min(sizeOf(), buffer.length - i);
    out.push(buffer.subarray(i, i + n));
    i += n;
  }
  return out;
}

const parsers = {
  framer(chunks) {
    let n = 0;
    const f = new NdjsonFramer({ line: (l) => { JSON.parse(l); n++; }, overflow() {} });
    for (const c of chunks) f.push(c);
    return n;
  },
  naive(chunks) {
    let n = 0;
    let buf = "";
    for (const c of chunks) {
      buf += c.toString("utf8");
      const parts = buf.split("\n");
      buf = parts.pop();
      for (const p of parts) if (p) { JSON.parse(p); n++; }
    }
    return n;
  },
  // The vendor example: append the chunk, then for every line copy the rest of the buffer.
  vendor(chunks) {
    let n = 0;
    let buf = Buffer.alloc(0);
    for (const c of chunks) {
      buf = Buffer.concat([buf, c]);
      let nl;
      while ((nl = buf.indexOf(10)) !== -1) {
        const line = buf.subarray(0, nl);
        buf = Buffer.from(buf.subarray(nl + 1));
        if (line.length) { JSON.parse(line.toString("utf8")); n++; }
      }
    }
    return n;
  },
};

function time(fn) {
  if (global.gc) global.gc();
  const t0 = process.hrtime.bigint();
  const n = fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, n };
}

const { lines, buffer } = makeCorpus(CORPUS_MB * 1024 * 1024);
const mb = buffer.length / (1024 * 1024);
console.log(`corpus: ${lines.length} lines, ${mb.toFixed(1)} MiB; ${RUNS} rounds, medians`);

let rs = 42;
const rand = () => ((rs = (rs * 16807) % 2147483647) / 2147483647);
const chunkings = {
  "random 1-16384 B": chunk(buffer, () => 1 + Math.floor(rand() * 16384)),
  "64 KiB": chunk(buffer, () => 65536),
  "256 KiB": chunk(buffer, () => 262144),
};

// A shared VM's speed drifts over a run by more than the overhead measured here, so each
// round times the floor and every parser back to back, and a parser's cost against the floor
// is the median of its per-round ratios, not a ratio of figures taken minutes apart.
const cases = [["floor", "pre-split", () => { for (const l of lines) JSON.parse(l); return lines.length; }]];
for (const [name, fn] of Object.entries(parsers)) {
  for (const [label, chunks] of Object.entries(chunkings)) cases.push([name, label, () => fn(chunks)]);
}
const seconds = cases.map(() => []);
for (let r = 0; r < RUNS; r++) {
  cases.forEach(([name, label, run], i) => {
    const t = time(run);
    if (t.n !== lines.length) throw new Error(`${name} framed ${t.n} of ${lines.length} lines at ${label}`);
    seconds[i].push(t.seconds);
  });
}

const rows = [["parser", "chunks", "MB/s", "Mlines/s", "vs floor"]];
const rate = {};
const overFloor = {};
cases.forEach(([name, label], i) => {
  const s = median(seconds[i]);
  rate[`${name}|${label}`] = mb / s;
  overFloor[`${name}|${label}`] = median(seconds[i].map((t, r) => t / seconds[0][r]));
  rows.push([name === "floor" ? "JSON.parse only (floor)" : name, label, (mb / s).toFixed(1), (lines.length / s / 1e6).toFixed(2), overFloor[`${name}|${label}`].toFixed(2)]);
});
table(rows);

const oneByte = Buffer.from(lines.slice(0, 2000).join("\n") + "\n");
const oneByteChunks = chunk(oneByte, () => 1);
const t1 = time(() => parsers.framer(oneByteChunks));
console.log(`\nour framer at 1-byte chunks: ${(oneByte.length / 1024 / 1024 / t1.seconds).toFixed(2)} MB/s, ${t1.n} lines, all intact`);

console.log("\nsummary");
for (const label of Object.keys(chunkings)) {
  console.log(`  framing overhead over bare JSON.parse at ${label}: ${((overFloor[`framer|${label}`] - 1) * 100).toFixed(1)} % (median of per-round ratios)`);
}
for (const name of Object.keys(parsers)) {
  console.log(`  ${name}: 256 KiB chunks run at ${(rate[`${name}|256 KiB`] / rate[`${name}|random 1-16384 B`]).toFixed(2)}× the speed of random ≤16 KiB chunks`);
}
console.log(`  our framer vs the vendor parser at 256 KiB chunks: ${(rate["framer|256 KiB"] / rate["vendor|256 KiB"]).toFixed(1)}× faster`);
