// The peer of bench/bench_echo.cpp: node's net server echoing lines on
// 127.0.0.1, each whole line written back as it comes (a line may arrive in
// pieces). Prints its port; exits when its stdin closes.
//   node bench/node/echo_server.js
'use strict';
const net = require('net');

const server = net.createServer({ noDelay: true }, (socket) => {
  let pending = null;  // the start of a line still missing its '\n'
  socket.on('data', (data) => {
    let start = 0;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
      const line = data.subarray(start, nl + 1);
      socket.write(pending ? Buffer.concat([pending, line]) : line);
      pending = null;
      start = nl + 1;
    }
    if (start < data.length) pending = pending ? Buffer.concat([pending, data.subarray(start)]) : data.subarray(start);
  });
  socket.on('error', () => {});
});

server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
