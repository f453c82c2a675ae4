// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

// A fixed piece of CPU work (JSON round trips of a small event in Node), run on the servers' CPU before and after the
// benchmark: its time says how fast the machine was at that moment, so that runs made on different days, or on a
// busy machine, can be put side by side. Prints nanoseconds per iteration.

const event = { n: 123, s: "abcdefghijklmnopqrstuvwxyz012345" };
let check = 0;
// Warm up the JIT first, then time.
for (let i = 0; i < 200000; i++) check += JSON.parse(JSON.stringify(["echo", event, i])).length;
const iterations = 1000000;
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) check += JSON.parse(JSON.stringify(["echo", event, i])).length;
const ns = Number(process.hrtime.bigint() - start) / iterations;
process.stdout.write(`${check > 0 ? ns.toFixed(0) : "?"}\n`);
