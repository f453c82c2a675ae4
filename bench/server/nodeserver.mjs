// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// The reference the benchmarks compare QtSocketIo with: socket.io (pinned in bench/package.json) doing exactly
// what bench/server/benchserver.cpp does. Every socket joins room "all"; "echo" acks with its arguments;
// "bcast" emits its payload to room "all". Listens on 127.0.0.1 (port from --port, default any free one),
// prints "LISTENING <port> <pid>", stops on SIGTERM, SIGINT, or the end of stdin when stdin is a pipe or a terminal.
// --parser msgpack: socket.io-msgpack-parser (pinned in bench/package.json) instead of the default JSON parser.

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

const httpServer = createServer();
const io = new Server(httpServer, {
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  ...(parserName === "msgpack" ? { parser: msgpackParser } : {}),
});

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

httpServer.listen(port, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${httpServer.address().port} ${process.pid}\n`);
});
