/**
 * Real Redis for tests: starts its own `redis-server` on a free port in a temporary directory (or
 * uses REDIS_URL when set and the test does not need to kill it), a 3-node Redis Cluster, or a
 * Sentinel in front of a server. Every child process is killed when the test process exits.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Where the kernel picks ports for `listen(0)` and outgoing connections. */
function ephemeralStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/**
 * A port free right now, below the kernel's ephemeral range (with its Cluster bus port, + 10000):
 * a server killed and restarted on it cannot lose it meanwhile to another test's `listen(0)`.
 */
export async function freePort(busPort = false): Promise<number> {
  const low = 12000;
  const high = Math.max(low + 1000, Math.min(ephemeralStart(), 32768) - 10000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (!(await listenable(port))) continue;
    if (!busPort || (await listenable(port + 10000))) return port;
  }
  throw new Error('no free port found');
}

/** Runs redis-cli against a port and returns its output (rejects on a non-zero exit). */
export function redisCli(port: number, args: string[], extra: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'redis-cli',
      ['-h', '127.0.0.1', '-p', String(port), ...extra, ...args],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        // redis-cli exits 0 after a server error reply; treat one as a failure all the same.
        if (error || /^(\(error\) )?(ERR|WRONGTYPE|NOPERM|OOM)/.test(stdout))
          reject(new Error(`redis-cli ${args.join(' ')}: ${stderr || stdout || error?.message}`));
        else resolve(stdout.trim());
      },
    );
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Spawns redis-server and resolves once it accepts connections. */
function spawnRedis(args: string[], readyText: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyText.test(output)) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('error', reject);
    child.once('exit', (code) => {
      children.delete(child);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    });
  });
}

function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      children.delete(child);
      resolve();
    });
    child.kill(signal);
  });
}

export interface RedisServer {
  url: string;
  port: number;
  /** The CA that signed the server certificate (TLS servers only). */
  caFile?: string;
  /** True when REDIS_URL named a server this helper did not start (it cannot be killed). */
  external: boolean;
  cli(...args: string[]): Promise<string>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill). */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but answers nothing (a hung or very slow Redis). */
  freeze(): void;
  /** SIGCONT after freeze. */
  thaw(): void;
  stop(): Promise<void>;
}

export interface RedisStartOptions {
  /** Always start a private server (tests that kill, pause or fill it). */
  own?: boolean;
  /** Extra redis-server arguments, e.g. ['--requirepass', 'x']. */
  args?: string[];
  /** Credentials for redis-cli and the URL. */
  auth?: { username?: string; password: string };
  /** Listen on this port (e.g. one a server was told about before Redis existed). */
  port?: number;
  /** Serve TLS only, with a certificate for 127.0.0.1 signed by a fresh CA (`caFile`). */
  tls?: boolean;
}

/** A throwaway CA and a server certificate for 127.0.0.1, made with openssl. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '2',
    '-subj',
    '/CN=ghostline test CA',
  ]);
  run(['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(file('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-days',
    '2',
    '-extfile',
    file('san.cnf'),
  ]);
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };
}

export async function startRedis(options: RedisStartOptions = {}): Promise<RedisServer> {
  const external = process.env.REDIS_URL;
  if (external && !options.own && !options.args && !options.auth && !options.port && !options.tls) {
    const port = Number(new URL(external).port || 6379);
    const unsupported = () => Promise.reject(new Error('cannot kill or restart the REDIS_URL server'));
    const refuse = () => {
      throw new Error('cannot freeze the REDIS_URL server');
    };
    return {
      url: external,
      port,
      external: true,
      cli: (...args) => redisCli(port, args),
      kill: unsupported,
      restart: unsupported,
      freeze: refuse,
      thaw: refuse,
      stop: async () => undefined,
    };
  }
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'ghostline-redis-'));
  const certificates = options.tls ? makeCertificates(dir) : undefined;
  const listen = certificates
    ? [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        certificates.cert,
        '--tls-key-file',
        certificates.key,
        '--tls-ca-cert-file',
        certificates.ca,
        '--tls-auth-clients',
        'no',
      ]
    : ['--port', String(port)];
  const args = [
    ...listen,
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--loglevel',
    'notice',
    ...(options.args ?? []),
  ];
  let child = await spawnRedis(args, /Ready to accept connections/);
  const cliAuth = [
    ...(options.auth
      ? [
          ...(options.auth.username ? ['--user', options.auth.username] : []),
          '--pass',
          options.auth.password,
          '--no-auth-warning',
        ]
      : []),
    ...(certificates ? ['--tls', '--cacert', certificates.ca] : []),
  ];
  const userinfo = options.auth
    ? `${encodeURIComponent(options.auth.username ?? '')}:${encodeURIComponent(options.auth.password)}@`
    : '';
  return {
    url: `${certificates ? 'rediss' : 'redis'}://${userinfo}127.0.0.1:${port}`,
    port,
    caFile: certificates?.ca,
    external: false,
    cli: (...cliArgs) => redisCli(port, cliArgs, cliAuth),
    kill: () => stopChild(child, 'SIGKILL'),
    restart: async () => {
      await stopChild(child, 'SIGKILL');
      child = await spawnRedis(args, /Ready to accept connections/);
    },
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    stop: async () => {
      await stopChild(child, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisCluster {
  /** `redis+cluster://` naming every node. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

/** Three masters, no replicas, slots split by `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const ports: number[] = [];
  while (ports.length < 3) {
    const port = await freePort(true);
    if (!ports.includes(port)) ports.push(port);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ghostline-cluster-'));
  const nodes = await Promise.all(
    ports.map((port) =>
      spawnRedis(
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '2000',
        ],
        /Ready to accept connections/,
      ),
    ),
  );
  const stop = async () => {
    await Promise.all(nodes.map((node) => stopChild(node, 'SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await redisCli(ports[0]!, [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports)
      await until(
        async () => (await redisCli(port, ['cluster', 'info'])).includes('cluster_state:ok'),
        `cluster node ${port}`,
      );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, stop };
}

export interface RedisSentinel {
  /** `redis+sentinel://127.0.0.1:PORT/mymaster`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** One Sentinel watching `master` under the name `mymaster`. */
export async function startSentinel(master: RedisServer): Promise<RedisSentinel> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ghostline-sentinel-'));
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${master.port} 1`,
      'sentinel down-after-milliseconds mymaster 5000',
      '',
    ].join('\n'),
  );
  const child = await spawnRedis([config, '--sentinel'], /Sentinel ID is|monitor master/);
  await until(
    async () =>
      (await redisCli(port, ['sentinel', 'get-master-addr-by-name', 'mymaster'])).includes(String(master.port)),
    'sentinel to know its master',
  );
  return {
    url: `redis+sentinel://127.0.0.1:${port}/mymaster`,
    port,
    stop: async () => {
      await stopChild(child, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
