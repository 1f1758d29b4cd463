#!/usr/bin/env node
// The chDB bridge: ClickHouse's own engine (chDB, in this process) behind a small HTTP server that speaks
// the part of ClickHouse's HTTP interface the course uses. Lessons and tests talk to it exactly as they
// talk to a real server at CLICKHOUSE_URL, so there is one client code path (lab/ClickHouseHttp.java).
//
//   npm ci --prefix tools/chdb                      once: installs chdb 3.4.0 (ClickHouse 26.7, ~178 MB)
//   node tools/chdb/bridge.js [--port 8123] [--host 127.0.0.1] [--data DIR] [--exit-with-stdin]
//
// What it answers (the same as clickhouse-server does):
//   GET  /ping, GET /              -> "Ok.\n"
//   POST /  (body = one SQL statement), or GET/POST /?query=<SQL> (query, then the body, like the server)
//                                  -> 200 and the result in the statement's FORMAT (TabSeparated if none)
//                                  -> 500, header X-ClickHouse-Exception-Code: N, body "Code: N. DB::Exception: ..."
//   Extra URL parameters other than `query` are ClickHouse settings and are ignored here, with one exception:
//   `default_format`.
//
// One long-lived chDB Session on DIR (default: a fresh temporary folder), so Kafka tables keep consuming in the
// background for as long as this process lives; a restart on the same DIR resumes from the committed offsets.
// Requests run one at a time (a chDB session is one connection). Results pass through as chDB's text: nothing
// goes through JavaScript numbers, so 64-bit integers arrive intact.
//
// --port 0 picks a free port. Once it listens, the bridge prints one line on stdout:
//   chdb-bridge listening on http://127.0.0.1:<port> (ClickHouse <version>, data <DIR>)
// --exit-with-stdin: stop when stdin closes (the Java side starts it so; if that JVM dies, the bridge goes too).
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function parseArgs(argv) {
  const opts = { port: 8123, host: '127.0.0.1', data: null, exitWithStdin: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--host') opts.host = argv[++i];
    else if (a === '--data') opts.data = argv[++i];
    else if (a === '--exit-with-stdin') opts.exitWithStdin = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node bridge.js [--port 8123] [--host 127.0.0.1] [--data DIR] [--exit-with-stdin]\n');
      process.exit(0);
    } else {
      process.stderr.write(`chdb-bridge: unknown argument ${a} (try --help)\n`);
      process.exit(64);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    process.stderr.write('chdb-bridge: --port needs a number 0-65535\n');
    process.exit(64);
  }
  return opts;
}

let chdb;
try {
  chdb = require('chdb');
} catch (e) {
  process.stderr.write('chdb-bridge: the chdb package is not installed. Run `npm ci --prefix tools/chdb` '
      + '(from the course folder; needs Node 18+ and the npm registry, ~180 MB once).\n  (' + e.message + ')\n');
  process.exit(3);
}

const opts = parseArgs(process.argv.slice(2));
const temporary = opts.data === null;
const dataDir = temporary ? fs.mkdtempSync(path.join(os.tmpdir(), 'chdb-bridge-')) : path.resolve(opts.data);
fs.mkdirSync(dataDir, { recursive: true });
const session = new chdb.Session(dataDir);

// one statement at a time: a promise chain as the queue
let queue = Promise.resolve();
function run(sql, format) {
  const result = queue.then(() => session.queryAsync(sql, { format }));
  queue = result.then(() => undefined, () => undefined);
  return result;
}

function errorOf(e) {
  let code = Number.isInteger(e && e.clickhouseCode) ? e.clickhouseCode : null;
  let message = String((e && e.message) || e);
  const m = /Code: (\d+)\./.exec(message);
  if (code === null && m) code = Number(m[1]);
  if (code === null) code = 1000; // POCO_EXCEPTION-like "unknown" for errors that carry no code
  if (!/^Code: \d+\./.test(message)) message = `Code: ${code}. DB::Exception: ${message}`;
  return { code, message: message.endsWith('\n') ? message : message + '\n' };
}

const server = http.createServer((req, res) => {
  // a server puts its host name here; the Java client reads it to know it talks to the bridge
  res.setHeader('X-ClickHouse-Server-Display-Name', 'chdb-bridge');
  const url = new URL(req.url, 'http://localhost');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const param = url.searchParams.get('query');
    if ((url.pathname === '/ping' || url.pathname === '/') && param === null && body.trim() === '') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
      res.end('Ok.\n');
      return;
    }
    if (url.pathname !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end(`chdb-bridge answers / and /ping only, not ${url.pathname}\n`);
      return;
    }
    // like the server: the query parameter first, then the body
    const sql = [param, body].filter((s) => s !== null && s.trim() !== '').join('\n');
    const format = url.searchParams.get('default_format') || 'TabSeparated';
    run(sql, format).then((result) => {
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-ClickHouse-Summary': JSON.stringify({ read_rows: String(result.rowsRead), elapsed_ns: String(Math.round(result.elapsed * 1e9)) }),
      });
      res.end(Buffer.from(result.bytes()));
    }, (e) => {
      const err = errorOf(e);
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(err.code) });
      res.end(err.message);
    });
  });
});

let stopping = false;
function stop(why) {
  if (stopping) return;
  stopping = true;
  server.close();
  // let a running statement finish, then close the session (it commits nothing new; Kafka offsets are
  // committed after every block the materialized views wrote)
  queue.finally(() => {
    try { session.close(); } catch (e) { /* closing anyway */ }
    if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`chdb-bridge: stopped (${why})\n`);
    process.exit(0);
  });
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
if (opts.exitWithStdin) {
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin closed'));
  process.stdin.resume();
}

server.on('error', (e) => {
  process.stderr.write(e.code === 'EADDRINUSE'
    ? `chdb-bridge: port ${opts.port} on ${opts.host} is already taken (is ClickHouse or another bridge running?). Use --port.\n`
    : `chdb-bridge: ${e.message}\n`);
  process.exit(2);
});
server.listen(opts.port, opts.host, () => {
  const version = session.query('SELECT version()', 'TabSeparated').trim();
  process.stdout.write(`chdb-bridge listening on http://${opts.host}:${server.address().port} `
      + `(ClickHouse ${version}, data ${dataDir})\n`);
});
