#!/usr/bin/env node
// The chDB bridge: ClickHouse's own engine (chDB, in this process) behind a small HTTP server that answers what
// ClickHouse's official Java client (com.clickhouse:client-v2) sends to a server's HTTP interface. Lessons and tests
// use that client for the bridge, a docker compose server and a teacher's cluster alike (lab/clickhouse/ClickHouse.java).
//
//   npm ci --prefix tools/chdb     installs chdb 3.4.0 (ClickHouse 26.7, ~180 MB); the lab runs it for you when missing
//   node tools/chdb/bridge.js [--port 8123] [--host 127.0.0.1] [--data DIR] [--exit-with-stdin]
//   CLICKHOUSE_USER / CLICKHOUSE_PASSWORD   the one login it accepts (default: the lab's, default / clickhouse)
//
// What it answers, as clickhouse-server does:
//   GET /ping                      -> "Ok.\n" (no login, like a server)
//   POST / (body = SQL), or GET|POST /?query=SQL (then the body, like the server)
//     format      X-ClickHouse-Format header, else default_format, else TabSeparated; a FORMAT clause wins. The Java
//                 client asks for RowBinaryWithNamesAndTypes, which chDB writes itself.
//     login       Authorization: Basic, or X-ClickHouse-User / X-ClickHouse-Key (never in the URL)
//     settings    any other URL parameter, applied to this statement only (SET before, SET ... = DEFAULT after);
//                 param_<name> binds {name:Type}; X-ClickHouse-Database / database runs it in that database
//     errors      HTTP 500 (401 for a bad login, 403 refused), X-ClickHouse-Exception-Code: N, "Code: N. DB::Exception: ..."
//     compress=1  refused with a clear message: the bridge does not write ClickHouse's LZ4 block framing; the lab's
//                 Client is built with compressServerResponse(false) (on loopback compression only costs CPU)
//
// Closed to others (a server has users, grants and user_files_path; clickhouse-local inside chDB has none of them):
//   * Host must be this bridge's own address and an Origin, if sent, its own origin: a web page the learner opens
//     (a form POST, DNS rebinding) cannot reach it;
//   * the lab's login is required;
//   * GET (or readonly=1) runs read-only statements only, like a server;
//   * file(), url(), INTO OUTFILE, FROM INFILE and every other function or engine that reaches this machine's files or
//     another host are refused; s3() is allowed to 127.0.0.1/localhost only (lesson 09 reads the lab's S3);
//   * SET is answered and forgotten, as by a server without a session: no request changes the next one's settings.
// The check reads the statement as ClickHouse's own parser normalises it (formatQuery), so comments and quoting do not
// hide a name; anything it cannot read is refused, never run.
//
// One long-lived chDB Session on DIR (default: a fresh temporary folder), so Kafka tables keep consuming in the
// background for as long as this process lives; a restart on the same DIR resumes from the committed offsets.
// Requests run one at a time (a chDB session is one connection). Results pass through as chDB's bytes.
//
// --port 0 picks a free port. Once it listens, the bridge prints one line on stdout:
//   chdb-bridge listening on http://127.0.0.1:<port> (ClickHouse <version>, data <DIR>)
// --exit-with-stdin: stop when stdin closes (the Java side starts it so; if that JVM dies, the bridge goes too).
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

function parseArgs(argv) {
  const opts = { port: 8123, host: '127.0.0.1', data: null, exitWithStdin: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--host') opts.host = argv[++i];
    else if (a === '--data') opts.data = argv[++i];
    else if (a === '--exit-with-stdin') opts.exitWithStdin = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node bridge.js [--port 8123] [--host 127.0.0.1] [--data DIR] [--exit-with-stdin]\n'
          + '  login: CLICKHOUSE_USER / CLICKHOUSE_PASSWORD (default: default / clickhouse)\n');
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
const USER = process.env.CLICKHOUSE_USER || 'default';
const PASSWORD = process.env.CLICKHOUSE_PASSWORD || 'clickhouse';
const temporary = opts.data === null;
const dataDir = temporary ? fs.mkdtempSync(path.join(os.tmpdir(), 'chdb-bridge-')) : path.resolve(opts.data);
fs.mkdirSync(dataDir, { recursive: true });
// displayName() answers 'chdb-bridge' (a server answers its host name): how the Java side tells the two apart
const session = new chdb.Session(dataDir, { connectionArgs: ['--display_name=chdb-bridge'] });

// one statement at a time: a promise chain as the queue
let queue = Promise.resolve();
function serially(work) {
  const result = queue.then(work);
  queue = result.then(() => undefined, () => undefined);
  return result;
}

class Refused extends Error {
  constructor(status, code, name, message) {
    super(`Code: ${code}. DB::Exception: chdb-bridge: ${message} (${name})`);
    this.status = status;
    this.clickhouseCode = code;
  }
}

function errorOf(e) {
  let code = Number.isInteger(e && e.clickhouseCode) ? e.clickhouseCode : null;
  let message = String((e && e.message) || e);
  const m = /Code: (\d+)\./.exec(message);
  if (code === null && m) code = Number(m[1]);
  if (code === null) code = 1000; // POCO_EXCEPTION-like "unknown" for errors that carry no code
  if (!/^Code: \d+\./.test(message)) message = `Code: ${code}. DB::Exception: ${message}`;
  return { status: (e && e.status) || 500, code, message: message.endsWith('\n') ? message : message + '\n' };
}

// --- who may ask --------------------------------------------------------------------------------------------
let ownHosts = [];
function checkCaller(req) {
  const host = req.headers.host || '';
  if (!ownHosts.includes(host.toLowerCase())) {
    throw new Refused(403, 497, 'ACCESS_DENIED', `refused a request for Host '${host}': this bridge answers only `
        + `${ownHosts[0]} (another Host is how a web page reaches a local server through DNS rebinding)`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !ownHosts.map((h) => `http://${h}`).includes(origin.toLowerCase())) {
    throw new Refused(403, 497, 'ACCESS_DENIED', `refused a request from Origin '${origin}': a web page may not `
        + 'use the lab\'s ClickHouse');
  }
}

function sameText(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function checkLogin(req, url) {
  if (url.searchParams.has('user') || url.searchParams.has('password')) {
    throw new Refused(401, 516, 'AUTHENTICATION_FAILED', 'a login in the URL ends up in logs and browser history: '
        + 'send it as Authorization: Basic or X-ClickHouse-User / X-ClickHouse-Key');
  }
  let user = req.headers['x-clickhouse-user'];
  let password = req.headers['x-clickhouse-key'];
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization || '');
  if (basic) {
    const text = Buffer.from(basic[1], 'base64').toString('utf8');
    user = text.slice(0, text.indexOf(':'));
    password = text.slice(text.indexOf(':') + 1);
  }
  if (!sameText(user || '', USER) || !sameText(password || '', PASSWORD)) {
    throw new Refused(401, 516, 'AUTHENTICATION_FAILED', `${user || '(no user)'}: Authentication failed: password is `
        + 'incorrect, or there is no user with such name (the lab\'s login is in LabConfig: CLICKHOUSE_USER / CLICKHOUSE_PASSWORD)');
  }
}

// --- what may run ---------------------------------------------------------------------------------------------
// table functions, engines and dictionary sources that read or write this machine's files or reach another host
const OUTSIDE = ['file', 'filecluster', 'filesystem', 'url', 'urlcluster', 'http', 'https', 'remote', 'remotesecure',
  'cluster', 'clusterallreplicas', 'clickhouse', 'executable', 'executablepool', 'mysql', 'postgresql', 'mongodb',
  'redis', 'sqlite', 'odbc', 'jdbc', 'hdfs', 'hdfscluster', 'hive', 's3cluster', 's3queue', 'gcs', 'oss', 'cosn',
  'azureblobstorage', 'azureblobstoragecluster', 'azurequeue', 'iceberg', 'icebergs3', 'iceberglocal', 'icebergazure',
  'iceberghdfs', 'deltalake', 'deltalakelocal', 'deltalakeazure', 'hudi', 'paimon', 'arrowflight', 'ytsaurus',
  'disk', 'embeddedrocksdb', 'nats', 'rabbitmq', 'distributed'];
const OUTSIDE_CALL = new RegExp(`\\b(${OUTSIDE.join('|')})\\s*\\(`, 'i');
const S3_CALL = /\bs3\s*\(\s*('[^']*')?/gi;
const LOOPBACK_URL = /^'https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//i;
const READ_ONLY = /^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS|EXPLAIN)\b/i;

// the raw text with comments and identifier quotes taken out (a name hidden so in VALUES data is still seen)
function bare(sql) {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(--|#)[^\n]*/g, ' ').replace(/[`"]/g, '');
}

function refuseOutside(text, what) {
  const call = OUTSIDE_CALL.exec(text);
  if (call) {
    throw new Refused(403, 497, 'ACCESS_DENIED', `${call[1]}() is refused in ${what}: the lab's bridge does not let SQL reach `
        + 'this machine\'s files or other hosts (a ClickHouse server confines that with users, grants and user_files_path; '
        + 'chDB has none of them)');
  }
  for (const m of text.matchAll(S3_CALL)) {
    if (!m[1] || !LOOPBACK_URL.test(m[1])) {
      throw new Refused(403, 497, 'ACCESS_DENIED', `s3() is allowed to the lab's own S3 on 127.0.0.1 only, not ${m[1] || 'an expression'}`);
    }
  }
}

async function check(sql, readOnly) {
  let formatted;
  try {
    formatted = (await session.queryBindAsync('SELECT formatQuery({q:String})', { q: sql }, { format: 'TabSeparatedRaw' })).text();
  } catch (e) {
    // ClickHouse's parser cannot read it: return its syntax error, never run what was not checked
    const m = /^(Code: \d+\. DB::Exception: [\s\S]*?)(: In scope SELECT formatQuery[\s\S]*)?$/.exec(String(e.message));
    throw Object.assign(new Error(m ? m[1] : String(e.message)), { clickhouseCode: e.clickhouseCode });
  }
  formatted = formatted.trim();
  refuseOutside(formatted, 'this statement');
  refuseOutside(bare(sql), 'this statement\'s text');
  if (/\bINTO\s+OUTFILE\b|\bFROM\s+INFILE\b/i.test(formatted) || /^ATTACH\b[\s\S]*\bFROM\s+'/i.test(formatted)) {
    throw new Refused(403, 497, 'ACCESS_DENIED', 'INTO OUTFILE, FROM INFILE and ATTACH ... FROM a path are refused: '
        + 'they reach this machine\'s files');
  }
  if (readOnly && !READ_ONLY.test(formatted)) {
    throw new Refused(500, 164, 'READONLY', 'Cannot execute query in readonly mode. For queries over HTTP, method GET '
        + 'implies readonly. You should use method POST for modifying queries');
  }
  return formatted;
}

// URL parameters that are not settings
const NOT_SETTINGS = new Set(['query', 'database', 'default_format', 'compress', 'decompress', 'query_id', 'session_id',
  'session_timeout', 'session_check', 'wait_end_of_query', 'buffer_size', 'enable_http_compression', 'readonly',
  'user', 'password', 'quota_key']);

function quote(value) {
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function answer(req, url, body) {
  checkCaller(req);
  if (url.pathname === '/ping' || (url.pathname === '/' && req.method === 'GET' && !url.searchParams.has('query') && body === '')) {
    return { status: 200, type: 'text/html; charset=UTF-8', bytes: Buffer.from('Ok.\n') };
  }
  if (url.pathname !== '/') {
    throw new Refused(404, 1, 'UNSUPPORTED_METHOD', `answers / and /ping only, not ${url.pathname}`);
  }
  checkLogin(req, url);
  if (url.searchParams.get('compress') === '1' || url.searchParams.get('decompress') === '1') {
    throw new Refused(400, 1, 'UNSUPPORTED_METHOD', 'does not write or read ClickHouse\'s LZ4 block framing (compress=1, '
        + 'decompress=1): build the Client with compressServerResponse(false) and compressClientRequest(false), as '
        + 'lab/clickhouse/ClickHouse.java does');
  }
  const sql = [url.searchParams.get('query'), body].filter((s) => s !== null && s.trim() !== '').join('\n');
  const readOnly = req.method === 'GET' || (url.searchParams.get('readonly') || '0') !== '0';
  const format = req.headers['x-clickhouse-format'] || url.searchParams.get('default_format') || 'TabSeparated';
  const database = req.headers['x-clickhouse-database'] || url.searchParams.get('database') || 'default';
  const params = {};
  const settings = [];
  for (const [k, v] of url.searchParams) {
    if (k.startsWith('param_')) params[k.slice(6)] = v;
    else if (!NOT_SETTINGS.has(k) && /^[a-z_][a-z0-9_]*$/i.test(k)) settings.push([k, v]);
  }
  return serially(async () => {
    const formatted = await check(sql, readOnly);
    if (/^SET\b/i.test(formatted)) {
      return { status: 200, type: 'text/plain; charset=UTF-8', bytes: Buffer.alloc(0), format }; // no session: nothing to keep
    }
    const applied = [];
    try {
      for (const [k, v] of settings) {
        await session.queryAsync(`SET ${k} = ${quote(v)}`);
        applied.push(k);
      }
      if (database !== 'default') await session.queryAsync(`USE ${quote(database).replace(/^'|'$/g, '`')}`);
      const result = Object.keys(params).length > 0
        ? await session.queryBindAsync(sql, params, { format })
        : await session.queryAsync(sql, { format });
      return { status: 200, type: 'application/octet-stream', bytes: Buffer.from(result.bytes()), format, result };
    } finally {
      for (const k of applied) await session.queryAsync(`SET ${k} = DEFAULT`).catch(() => undefined);
      if (database !== 'default') await session.queryAsync('USE default').catch(() => undefined);
    }
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const headers = { 'X-ClickHouse-Server-Display-Name': 'chdb-bridge',
      'X-ClickHouse-Query-Id': url.searchParams.get('query_id') || crypto.randomUUID() };
    answer(req, url, Buffer.concat(chunks).toString('utf8')).then((a) => {
      if (a.format) headers['X-ClickHouse-Format'] = a.format;
      if (a.result) {
        headers['X-ClickHouse-Summary'] = JSON.stringify({ read_rows: String(a.result.rowsRead),
          read_bytes: String(a.result.bytesRead), elapsed_ns: String(Math.round(a.result.elapsed * 1e9)) });
      }
      res.writeHead(a.status, { ...headers, 'Content-Type': a.type, 'Content-Length': a.bytes.length });
      res.end(a.bytes);
    }, (e) => {
      const err = errorOf(e);
      res.writeHead(err.status, { ...headers, 'Content-Type': 'text/plain; charset=UTF-8',
        'Content-Length': Buffer.byteLength(err.message), 'X-ClickHouse-Exception-Code': String(err.code) });
      res.end(err.message);
    });
  });
});
server.keepAliveTimeout = 30_000; // the Java client keeps its connections; do not close them under it

let stopping = false;
function stop(why) {
  if (stopping) return;
  stopping = true;
  server.close();
  // let a running statement finish, then close the session (Kafka offsets are committed after every block the
  // materialized views wrote)
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
  const port = server.address().port;
  const names = opts.host === '127.0.0.1' ? ['127.0.0.1', 'localhost'] : [opts.host];
  ownHosts = names.map((h) => `${h}:${port}`.toLowerCase());
  const version = session.query('SELECT version()', 'TabSeparated').trim();
  process.stdout.write(`chdb-bridge listening on http://${opts.host}:${port} (ClickHouse ${version}, data ${dataDir})\n`);
});
