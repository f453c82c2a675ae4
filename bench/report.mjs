// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Turns the load generator's JSON lines into the benchmark table (Markdown, on stdout).
//   node report.mjs --results results.jsonl [--micro-dir DIR] [--elapsed SECONDS] [--loadavg "a b c"]
//                   [--meta "key=value"]... [--spread 1]
//   node report.mjs --line '<one JSON line>'      one line of progress for run.sh

import { readFileSync, readdirSync, existsSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = { meta: [] };
for (let i = 0; i < args.length; i += 2) {
  const key = args[i].replace(/^--/, "");
  if (key === "meta") opt.meta.push(args[i + 1]);
  else opt[key] = args[i + 1];
}

const spread = opt.spread === "1";   // run.sh --spread: the servers were not pinned
const OURS = "qtsocketio";
const NODE = "node";

// What the table shows, in order. better: which direction wins; target: the ratio ours/Node we aim for.
const ROWS = [
  { s: "s1", key: /^kib_per_conn_(\d+)$/, name: (m) => `S1 idle: server RSS per connection, ${Number(m[1]).toLocaleString("en-US")} connected`, unit: "KB", better: "lower", target: (m) => (Number(m[1]) >= 10000 ? { op: "<=", ratio: 0.5 } : null) },
  { s: "s1", key: "connects_per_s", name: "S1 idle: WebSocket connects/s while filling up", unit: "1/s", better: "higher" },
  { s: "s2", key: "deliveries_per_s", name: (m, x) => `S2 broadcast to ${((x.receivers ?? 1001) - 1).toLocaleString("en-US")} (+ sender), ${x.window ?? "?"} in flight: deliveries/s`, unit: "1/s", better: "higher", target: { op: ">=", ratio: 3 } },
  { s: "s2", key: "server_us_per_delivery", name: "S2 broadcast: server CPU per delivery", unit: "µs", better: "lower" },
  { s: "s3", key: "roundtrips_per_s", name: (m, x) => `S3 echo with ack, ${x.clients ?? "?"} clients: round trips/s`, unit: "1/s", better: "higher", target: { op: ">=", ratio: 2 } },
  { s: "s3", key: "p50_ms", name: "S3 echo: latency p50", unit: "ms", better: "lower" },
  { s: "s3", key: "p99_ms", name: "S3 echo: latency p99", unit: "ms", better: "lower", target: { op: "<=", ratio: 0.5 } },
  { s: "s3", key: "p999_ms", name: "S3 echo: latency p99.9", unit: "ms", better: "lower" },
  { s: "s3", key: "server_us_per_roundtrip", name: "S3 echo: server CPU per round trip", unit: "µs", better: "lower" },
  { s: "s3mp", key: "roundtrips_per_s", name: (m, x) => `S3 echo with ack, MessagePack parser, ${x.clients ?? "?"} clients: round trips/s`, unit: "1/s", better: "higher" },
  { s: "s3mp", key: "p99_ms", name: "S3 MessagePack echo: latency p99", unit: "ms", better: "lower" },
  { s: "s3mp", key: "server_us_per_roundtrip", name: "S3 MessagePack echo: server CPU per round trip", unit: "µs", better: "lower" },
  { s: "s4ws", key: "connects_per_s", name: "S4 connect + join, WebSocket: connections/s", unit: "1/s", better: "higher", target: { op: ">=", ratio: 2 } },
  { s: "s4ws", key: "server_us_per_connect", name: "S4 WebSocket: server CPU per connection", unit: "µs", better: "lower" },
  { s: "s4poll", key: "connects_per_s", name: "S4 connect + join, polling then upgrade: connections/s", unit: "1/s", better: "higher", target: { op: ">=", ratio: 2 } },
  { s: "s4poll", key: "server_us_per_connect", name: "S4 polling + upgrade: server CPU per connection", unit: "µs", better: "lower" },
  { s: "s5", key: "mb_per_s", name: (m, x) => `S5 ${Math.round((x.attachment_bytes ?? 65536) / 1024)} KiB binary echo with ack, ${x.clients ?? "?"} clients: MB/s`, unit: "MB/s", better: "higher" },
  { s: "s5", key: "p50_ms", name: "S5 binary echo: latency p50", unit: "ms", better: "lower" },
  { s: "s5", key: "server_us_per_roundtrip", name: "S5 binary echo: server CPU per round trip", unit: "µs", better: "lower" },
  { s: "s6", key: "deliveries_per_s", name: (m, x) => `S6 cross-node broadcast through the adapter, ${x.receivers ?? "?"} sockets on two nodes, ${x.window ?? "?"} in flight: deliveries/s`, unit: "1/s", better: "higher" },
  { s: "s6", key: "remote_p50_ms", name: "S6 cross-node broadcast: latency p50 on the other node", unit: "ms", better: "lower" },
  { s: "s6", key: "remote_p99_ms", name: "S6 cross-node broadcast: latency p99 on the other node", unit: "ms", better: "lower" },
  { s: "s6", key: "local_p50_ms", name: "S6 cross-node broadcast: latency p50 on the sender's node", unit: "ms", better: "lower" },
];

function fmt(v) {
  if (v === undefined || v === null || Number.isNaN(v)) return "–";
  if (typeof v !== "number") return typeof v === "string" ? v : JSON.stringify(v);
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString("en-US");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return undefined;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function summary(values) {
  if (!values.length) return { text: "–" };
  const m = median(values);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const text = values.length > 1 ? `${fmt(m)} (${fmt(lo)}–${fmt(hi)})` : fmt(m);
  return { median: m, text };
}

if (opt.line !== undefined) {
  // Progress line for run.sh.
  let r;
  try {
    r = JSON.parse(opt.line);
  } catch {
    console.log(`   (unparsable result: ${opt.line})`);
    process.exit(0);
  }
  const m = r.metrics || {};
  const keys = Object.keys(m).filter((k) => typeof m[k] === "number").filter((k) => !["seconds", "clients", "receivers", "window", "connections", "bad_payloads", "bad_answers"].includes(k));
  const figures = keys.map((k) => `${k}=${fmt(m[k])}`).join(" ");
  let extra = r.ok ? "" : ` [FAILED: ${r.error}]`;
  if (r.ok && r.loadgen_busy_pct >= 0) extra = ` [loadgen work ${fmt(r.loadgen_busy_pct)}% cpu ${fmt(r.loadgen_cpu_pct)}%, other ${fmt(r.other_cpu_pct)}%]`;
  console.log(`   ${r.scenario.padEnd(6)} ${String(r.label).padEnd(10)} #${r.rep}  ${figures} ${extra}`);
  process.exit(0);
}

const lines = readFileSync(opt.results, "utf8").split("\n").filter((l) => l.trim());
const results = [];
for (const l of lines) {
  try {
    results.push(JSON.parse(l));
  } catch {
    // a broken line counts as nothing
  }
}

function values(scenario, label, key) {
  return results.filter((r) => r.ok && r.scenario === scenario && r.label === label && r.metrics && typeof r.metrics[key] === "number").map((r) => r.metrics[key]);
}

const out = [];
const say = (s = "") => out.push(s);

let socketIoVersion = "?";
try {
  socketIoVersion = JSON.parse(readFileSync(join(here, "node_modules/socket.io/package.json"), "utf8")).version;
} catch {
  // not installed
}
const cpuModel = cpus()[0]?.model?.trim() ?? "?";
const reps = Math.max(0, ...results.map((r) => r.rep || 0));

say("# QtSocketIo vs Node.js socket.io");
say();
say(`${new Date().toISOString().replace("T", " ").slice(0, 16)} UTC · ${cpus().length} × ${cpuModel} · Node ${process.version}, socket.io ${socketIoVersion} (perMessageDeflate off)` + (opt.meta.length ? ` · ${opt.meta.join(" · ")}` : ""));
say();
say(`Both servers on 127.0.0.1, ${spread ? "free to run on every CPU (--spread), the load generator (bench/loadgen, epoll, one thread) pinned to CPU 0 and sharing it" : "pinned to CPU 1, the load generator (bench/loadgen, epoll, one thread) on CPU 0"}; a fresh server process for every run; ${reps} run(s) per scenario and server, alternating which server goes first. Medians, with min–max over the runs. Ratio = QtSocketIo / Node.`);
say();
say("| Scenario | QtSocketIo | Node.js socket.io | Ratio | Better | Target | Met |");
say("|---|---:|---:|---:|:---:|:---:|:---:|");
for (const row of ROWS) {
  let keys;
  if (row.key instanceof RegExp) {
    const all = new Set();
    for (const r of results) if (r.scenario === row.s && r.metrics) for (const k of Object.keys(r.metrics)) if (row.key.test(k)) all.add(k);
    keys = [...all].sort((a, b) => Number(a.match(row.key)[1]) - Number(b.match(row.key)[1]));
  } else {
    keys = [row.key];
  }
  for (const key of keys) {
    const match = row.key instanceof RegExp ? key.match(row.key) : null;
    const ours = summary(values(row.s, OURS, key));
    const theirs = summary(values(row.s, NODE, key));
    if (ours.median === undefined && theirs.median === undefined) continue;
    const ratio = ours.median !== undefined && theirs.median ? ours.median / theirs.median : undefined;
    const target = typeof row.target === "function" ? row.target(match) : row.target;
    let met = "";
    if (target && ratio !== undefined) met = (target.op === ">=" ? ratio >= target.ratio : ratio <= target.ratio) ? "yes" : "**no**";
    const sample = results.find((r) => r.ok && r.scenario === row.s && r.metrics)?.metrics ?? {};
    const name = typeof row.name === "function" ? row.name(match, sample) : row.name;
    say(`| ${name} (${row.unit}) | ${ours.text} | ${theirs.text} | ${ratio === undefined ? "–" : ratio.toFixed(2) + "×"} | ${row.better === "higher" ? "↑" : "↓"} | ${target ? `${target.op === ">=" ? "≥" : "≤"} ${target.ratio}×` : ""} | ${met} |`);
  }
}
say();

// Sanity: the load generator must not be the bottleneck, and nothing else should have been running.
say("Checks per scenario, maximum over the measured intervals. Load generator work: the share of its core it spent handling");
say("events rather than waiting for them (it must stay well below 100 % so that the servers, not the load generator, set the");
say("pace); its CPU adds the kernel's cost of waking it. Other CPU: what everything else on the machine used meanwhile (noise;");
say("200 % = both cores). Server CPU: the server's use of its core (near 100 % = saturated, as intended).");
say();
say("| Scenario | Server | Load generator work | Load generator CPU | Other CPU | Server CPU | Failures | Runs ok |");
say("|---|---|---:|---:|---:|---:|---:|---:|");
const scenarios = [...new Set(results.map((r) => r.scenario))];
for (const s of scenarios) {
  for (const label of [OURS, NODE]) {
    const rs = results.filter((r) => r.scenario === s && r.label === label);
    if (!rs.length) continue;
    const max = (f) => {
      const v = rs.map(f).filter((x) => typeof x === "number" && x >= 0);
      return v.length ? Math.max(...v) : undefined;
    };
    const lg = max((r) => r.loadgen_cpu_pct);
    const work = max((r) => r.loadgen_busy_pct);
    const other = max((r) => r.other_cpu_pct);
    const server = max((r) => r.metrics?.server_cpu_pct);
    const failures = rs.reduce((a, r) => a + (r.failures || 0), 0);
    const ok = rs.filter((r) => r.ok).length;
    say(`| ${s} | ${label} | ${work === undefined ? "–" : fmt(work) + " %"} | ${lg === undefined ? "–" : fmt(lg) + " %"} | ${other === undefined ? "–" : fmt(other) + " %"} | ${server === undefined ? "–" : fmt(server) + " %"} | ${failures} | ${ok}/${rs.length} |`);
  }
}
// I/O threads and Node's cluster: every server label in the run (qtsocketio-io<N>: benchserver --io-threads N;
// node-cluster: 2 Node workers with @socket.io/cluster-adapter and @socket.io/sticky), with the server's CPU split
// by thread (/proc/PID/task/*/stat).
const labels = [...new Set(results.map((r) => r.label))];
if (labels.some((l) => l !== OURS && l !== NODE)) {
  const headline = { s1: "connects_per_s", s2: "deliveries_per_s", s3: "roundtrips_per_s", s3mp: "roundtrips_per_s", s4ws: "connects_per_s", s4poll: "connects_per_s", s5: "mb_per_s" };
  const perOp = { s2: "server_us_per_delivery", s3: "server_us_per_roundtrip", s3mp: "server_us_per_roundtrip", s4ws: "server_us_per_connect", s4poll: "server_us_per_connect", s5: "server_us_per_roundtrip" };
  say();
  say("Threads: per scenario and server, the headline figure, server CPU per operation, the share of it on the server's main thread, and the speed-up that share allows (total CPU / main-thread CPU). Per-thread CPU (µs in the last measured interval) in the last column. Server CPU counts a server's whole process tree (node-cluster: the primary and its workers); for node-cluster the main-thread share is the primary's (the sticky balancer), not a bound.");
  say();
  say("| Scenario | Server | Headline | CPU per op (µs) | Main-thread share | Speed-up bound | Per-thread CPU (µs) |");
  say("|---|---|---:|---:|---:|---:|---|");
  for (const s of scenarios) {
    for (const label of labels) {
      const rs = results.filter((r) => r.ok && r.scenario === s && r.label === label && r.metrics);
      if (!rs.length) continue;
      const med = (k) => summary(rs.map((r) => r.metrics[k]).filter((v) => typeof v === "number")).median;
      const threads = rs[rs.length - 1].metrics.server_thread_us ?? "";
      say(`| ${s} | ${label} | ${fmt(med(headline[s]))} | ${perOp[s] ? fmt(med(perOp[s])) : "–"} | ${fmt(med("server_main_share_pct"))} % | ${fmt(med("speedup_bound"))}× | ${String(threads).replace(/,/g, ", ")} |`);
    }
  }
}

const failed = results.filter((r) => !r.ok);
if (failed.length) {
  say();
  say("Failed runs:");
  for (const r of failed) say(`- ${r.scenario} ${r.label} #${r.rep}: ${r.error}`);
}
const noisy = results.filter((r) => r.ok && r.other_cpu_pct > 25);
if (noisy.length) {
  say();
  say(`Warning: ${noisy.length} run(s) shared the machine with other work (> 25 % of a CPU busy elsewhere): their figures are less reliable.`);
}
const saturated = results.filter((r) => r.ok && r.loadgen_busy_pct > 70);
if (saturated.length) {
  say();
  say(`Warning: the load generator was busy more than 70 % of the time in ${saturated.length} run(s), so it may have set the pace: ${saturated.map((r) => `${r.scenario}/${r.label}#${r.rep}`).join(", ")}.`);
}

// Micro-benchmarks (QTest text output: "RESULT : class::function():"row":" then "<v> msecs per iteration").
if (opt["micro-dir"] && existsSync(opt["micro-dir"])) {
  const files = readdirSync(opt["micro-dir"]).filter((f) => /^tst_bench_.*\.txt$/.test(f)).sort();
  const rows = [];
  for (const f of files) {
    const text = readFileSync(join(opt["micro-dir"], f), "utf8").split("\n");
    for (let i = 0; i < text.length - 1; i++) {
      const head = text[i].match(/^RESULT : \w+::(\w+)\(\):"(.*)":$/);
      if (!head) continue;
      const value = text[i + 1].match(/^\s*([0-9.eE+-]+) (\S+) per iteration/);
      if (!value) continue;
      const v = Number(value[1]);
      const ns = value[2] === "msecs" ? v * 1e6 : value[2] === "nsecs" ? v : NaN;
      rows.push(`| ${f.replace(/^tst_bench_|\.txt$/g, "")} | ${head[1]} | ${head[2]} | ${Number.isNaN(ns) ? `${value[1]} ${value[2]}` : fmt(ns)} |`);
    }
  }
  if (rows.length) {
    say();
    say("Codec micro-benchmarks (QBENCHMARK, wall time per call, median of 3 measurements, on the servers' CPU):");
    say();
    say("| Codec | Function | Row | ns per call |");
    say("|---|---|---|---:|");
    for (const r of rows) say(r);
  }
}

if (opt.elapsed || opt.loadavg) {
  say();
  say(`Run time ${opt.elapsed ?? "?"} s; load average at the end: ${opt.loadavg ?? "?"}.`);
}
if (opt.calibration) {
  const [before, after] = opt.calibration.split(" ");
  say(`Machine speed check (bench/calibrate.mjs: one JSON round trip of a small event in Node, on the servers' CPU): ${before} ns before, ${after} ns after. Lower is a faster machine; compare it before comparing figures from different runs.`);
}
process.stdout.write(out.join("\n") + "\n");
