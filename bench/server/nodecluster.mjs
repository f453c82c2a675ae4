// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// Node's own answer to more than one core: the reference server of nodeserver.mjs in 2 worker processes (node:cluster)
// behind @socket.io/sticky (the primary accepts and hands each connection to a worker, by session id for polling)
// with @socket.io/cluster-adapter (broadcasts cross the workers through the primary); both pinned in
// bench/package.json. Same behaviour and output as nodeserver.mjs: every socket joins room "all"; "echo" acks with
// its arguments; "bcast" emits its payload to room "all"; prints "LISTENING <port> <pid>" (the primary's pid);
// stops on SIGTERM, SIGINT, or the end of stdin. --workers N (default 2); --parser msgpack.

import cluster from "node:cluster";
import { createServer } from "node:http";
import { fstatSync } from "node:fs";
import { Server } from "socket.io";
import msgpackParser from "socket.io-msgpack-parser";
import sticky from "@socket.io/sticky";
import { createAdapter, setupPrimary } from "@socket.io/cluster-adapter";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg("--port", "0"));
const workers = Number(arg("--workers", "2"));
const parserName = arg("--parser", "json");
if (parserName !== "json" && parserName !== "msgpack") {
  process.stderr.write("nodecluster: --parser must be json or msgpack\n");
  process.exit(1);
}

if (cluster.isPrimary) {
  const httpServer = createServer();
  sticky.setupPrimary(httpServer, { loadBalancingMethod: "least-connection" });
  setupPrimary();
  cluster.setupPrimary({ serialization: "advanced" });
  for (let i = 0; i < workers; i++) cluster.fork();

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    httpServer.close();
    for (const worker of Object.values(cluster.workers)) worker.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 300).unref();
  };
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
  // Listening only once every worker is up, so that the first connections find one.
  let online = 0;
  cluster.on("online", () => {
    if (++online !== workers) return;
    httpServer.listen(port, "127.0.0.1", () => {
      process.stdout.write(`LISTENING ${httpServer.address().port} ${process.pid}\n`);
    });
  });
} else {
  const httpServer = createServer();
  const io = new Server(httpServer, {
    perMessageDeflate: false,
    httpCompression: false,
    serveClient: false,
    adapter: createAdapter(),
    ...(parserName === "msgpack" ? { parser: msgpackParser } : {}),
  });
  sticky.setupWorker(io);
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
  process.on("SIGTERM", () => process.exit(0));
}
