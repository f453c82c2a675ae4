// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The reference the benchmarks compare QtSocketIo with: socket.io (pinned in bench/package.json) doing exactly
// what bench/server/benchserver.cpp does. Every socket joins room "all"; "echo" acks with its arguments;
// "bcast" emits its payload to room "all". Listens on 127.0.0.1 (port from --port, default any free one),
// prints "LISTENING <port> <pid>", stops on SIGTERM, SIGINT, or the end of stdin when stdin is a pipe or a terminal.
// --parser msgpack: socket.io-msgpack-parser (pinned in bench/package.json) instead of the default JSON parser.
// --adapter redis|redis-sharded|redis-streams|postgres with --adapter-url URL: the node joins a cluster through
// @socket.io/redis-adapter (createAdapter / createShardedAdapter), @socket.io/redis-streams-adapter or
// @socket.io/postgres-adapter (pinned in bench/package.json), as benchserver --adapter; S6 runs two of them.
// --admin-ui: @socket.io/admin-ui's instrument() (pinned in bench/package.json) on /admin, no authentication,
// development mode, as benchserver --admin-ui (for run.sh --admin-ui: the same instrumentation on both sides).

import { createServer } from "node:http";
import { fstatSync } from "node:fs";
import { Server } from "socket.io";
import msgpackParser from "socket.io-msgpack-parser";

const portArg = process.argv.indexOf("--port");
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
const parserArg = process.argv.indexOf("--parser");
const parserName = parserArg > 0 ? process.argv[parserArg + 1] : "json";
if (parserName !== "json" && parserName !== "msgpack") {
  process.stderr.write("nodeserver: --parser must be json or msgpack\n");
  process.exit(1);
}

const adapterArg = process.argv.indexOf("--adapter");
const adapterName = adapterArg > 0 ? process.argv[adapterArg + 1] : "";
const urlArg = process.argv.indexOf("--adapter-url");
const adapterUrl = urlArg > 0 ? process.argv[urlArg + 1] : "";
const closers = [];

/** The adapter factory --adapter names, its clients connected; undefined without --adapter. */
async function makeAdapter() {
  if (!adapterName) return undefined;
  if (adapterName === "redis" || adapterName === "redis-sharded" || adapterName === "redis-streams") {
    const { createClient } = await import("redis");
    const pub = createClient({ url: adapterUrl || "redis://127.0.0.1:6379" });
    pub.on("error", () => {});
    await pub.connect();
    closers.push(() => pub.quit());
    if (adapterName === "redis-streams") {
      const { createAdapter } = await import("@socket.io/redis-streams-adapter");
      return createAdapter(pub);
    }
    const sub = pub.duplicate();
    sub.on("error", () => {});
    await sub.connect();
    closers.push(() => sub.quit());
    const redisAdapter = await import("@socket.io/redis-adapter");
    return adapterName === "redis" ? redisAdapter.createAdapter(pub, sub)
      : redisAdapter.createShardedAdapter(pub, sub);
  }
  if (adapterName === "postgres") {
    const pg = await import("pg");
    const { createAdapter } = await import("@socket.io/postgres-adapter");
    const pool = new pg.default.Pool({ connectionString: adapterUrl });
    pool.on("error", () => {});
    closers.push(() => pool.end());
    await pool.query(`CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz
      DEFAULT NOW(), payload bytea)`);
    return createAdapter(pool);
  }
  process.stderr.write("nodeserver: --adapter must be redis, redis-sharded, redis-streams or postgres\n");
  process.exit(1);
}
const adapter = await makeAdapter();

const httpServer = createServer();
const io = new Server(httpServer, {
  ...(adapter ? { adapter } : {}),
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  ...(parserName === "msgpack" ? { parser: msgpackParser } : {}),
});

if (process.argv.includes("--admin-ui")) {
  const { instrument } = await import("@socket.io/admin-ui");
  instrument(io, { auth: false, mode: "development" });
}

io.on("connection", (socket) => {
  socket.join("all");
  socket.on("echo", (...args) => {
    const ack = args[args.length - 1];
    if (typeof ack === "function") {
      args.pop();
      ack(...args);
    }
  });
  socket.on("bcast", (payload) => {
    io.to("all").emit("bcast", payload);
  });
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  io.close();
  httpServer.close();
  for (const close of closers) Promise.resolve().then(close).catch(() => {});
  // Open connections would keep the process alive for their idle timeouts: leave now.
  setTimeout(() => process.exit(0), 200).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

let watchStdin = false;
try {
  const st = fstatSync(0);
  watchStdin = st.isFIFO() || st.isSocket() || process.stdin.isTTY === true;
} catch {
  watchStdin = false;
}
if (watchStdin) {
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
}

// With an adapter: once it subscribed (the adapters subscribe without telling), so that the load starts on a
// linked cluster.
if (adapter) await new Promise((resolve) => setTimeout(resolve, 500));
httpServer.listen(port, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${httpServer.address().port} ${process.pid}\n`);
});
