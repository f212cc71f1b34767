/**
 * The dashboard's HTTP server: read-only, bound to 127.0.0.1 only, every request checked against a
 * random token (query `?token=` or `Authorization: Bearer`, compared in constant time) and against
 * the Host header (so a web page elsewhere cannot reach it through DNS rebinding). Serves the page,
 * the chart library from node_modules, one JSON endpoint per chart and Prometheus text.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { DashboardReport } from '../usage/report.ts';
import { MAX_RANGE_DAYS } from './source.ts';
import { buildCharts } from './charts.ts';
import { APP_JS, PAGE_CSS, pageHtml } from './page.ts';
import { prometheusText } from './prometheus.ts';
import { readAsset } from '../assets.ts';

/** Only this interface is ever listened on. */
export const DASHBOARD_HOST = '127.0.0.1';

export type ReportLoader = (
  days: number,
) => Promise<{ ok: true; report: DashboardReport } | { ok: false; error: string }>;

export interface DashboardOptions {
  load: ReportLoader;
  /** 0 picks a free port. */
  port: number;
  /** Defaults to 32 random bytes, base64url. */
  token?: string;
  /** How long a report is reused for requests of the same range (ms). */
  reuseMs?: number;
}

export interface Dashboard {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** uPlot: shipped beside the bundle and in the executable (scripts/build.ts), else from node_modules. */
function asset(path: string): Buffer {
  const shipped = readAsset(path);
  return shipped ? Buffer.from(shipped) : readFileSync(require.resolve(path));
}

const digest = (text: string) => createHash('sha256').update(text).digest();

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = digest(token);
  const reuseMs = options.reuseMs ?? 2000;
  const files = {
    '/assets/uplot.js': { type: 'text/javascript; charset=utf-8', body: asset('uplot/dist/uPlot.iife.min.js') },
    '/assets/uplot.css': { type: 'text/css; charset=utf-8', body: asset('uplot/dist/uPlot.min.css') },
    '/assets/app.js': { type: 'text/javascript; charset=utf-8', body: Buffer.from(APP_JS) },
    '/assets/app.css': { type: 'text/css; charset=utf-8', body: Buffer.from(PAGE_CSS) },
  } as Record<string, { type: string; body: Buffer }>;
  const reports = new Map<number, { at: number; result: ReturnType<ReportLoader> }>();
  let port = 0;

  /** One read per range while it is fresh, shared by concurrent requests. */
  function report(days: number): ReturnType<ReportLoader> {
    const cached = reports.get(days);
    if (cached && Date.now() - cached.at < reuseMs) return cached.result;
    const result = options.load(days);
    reports.set(days, { at: Date.now(), result });
    return result;
  }

  function authorized(request: IncomingMessage, url: URL): 'ok' | 'missing' | 'wrong' {
    const header = request.headers.authorization;
    const given =
      url.searchParams.get('token') ??
      (header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined);
    if (given === undefined || given === '') return 'missing';
    // Equal-length digests: the comparison takes the same time whatever was sent.
    return timingSafeEqual(digest(given), expected) ? 'ok' : 'wrong';
  }

  function send(
    response: ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    extra: Record<string, string> = {},
  ): void {
    response.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': type,
      'content-length': String(Buffer.byteLength(body)),
      ...extra,
    });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  }

  const json = (response: ServerResponse, status: number, value: unknown) =>
    send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = request.headers.host ?? '';
    if (host !== `${DASHBOARD_HOST}:${port}` && host !== `localhost:${port}`) {
      send(response, 421, 'text/plain; charset=utf-8', 'ghostline dashboard: wrong Host header\n');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${host}`);
    const auth = authorized(request, url);
    if (auth !== 'ok') {
      const status = auth === 'missing' ? 401 : 403;
      send(
        response,
        status,
        'text/plain; charset=utf-8',
        `ghostline dashboard: ${auth === 'missing' ? 'an access token is required' : 'wrong access token'}; open the URL \`ghostline dashboard\` printed\n`,
        {
          'www-authenticate': 'Bearer realm="ghostline dashboard"',
        },
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'ghostline dashboard is read-only\n', { allow: 'GET, HEAD' });
      return;
    }
    const file = files[url.pathname];
    if (file) {
      send(response, 200, file.type, file.body);
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      send(response, 200, 'text/html; charset=utf-8', pageHtml(token));
      return;
    }
    const rawDays = url.searchParams.get('days') ?? (url.pathname === '/metrics' ? '1' : '30');
    const days = Number(rawDays);
    if (!Number.isInteger(days) || days < 1 || days > MAX_RANGE_DAYS) {
      json(response, 400, { error: `days must be a whole number from 1 to ${MAX_RANGE_DAYS}` });
      return;
    }
    const chartName = /^\/api\/chart\/([a-z]+)$/.exec(url.pathname)?.[1];
    if (
      url.pathname !== '/api/report' &&
      url.pathname !== '/api/charts' &&
      url.pathname !== '/metrics' &&
      chartName === undefined
    ) {
      json(response, 404, {
        error: 'not found',
        endpoints: ['/', '/api/report', '/api/charts', '/api/chart/<name>', '/metrics'],
      });
      return;
    }
    const result = await report(days);
    if (!result.ok) {
      if (url.pathname === '/metrics')
        send(response, 503, 'text/plain; charset=utf-8', `# ghostline: ${result.error}\nghostline_redis_up 0\n`);
      else json(response, 503, { error: result.error });
      return;
    }
    if (url.pathname === '/metrics')
      send(response, 200, 'text/plain; version=0.0.4; charset=utf-8', prometheusText(result.report));
    else if (url.pathname === '/api/report') json(response, 200, result.report);
    else if (url.pathname === '/api/charts') {
      // The page draws the charts' series; the report rides along without its own copy of them.
      const { series: _series, ...rest } = result.report;
      const users = rest.users.map(({ name, totalUsd, totalTokens }) => ({ name, totalUsd, totalTokens }));
      json(response, 200, { report: { ...rest, users }, charts: buildCharts(result.report) });
    } else {
      const chart = buildCharts(result.report).find((c) => c.name === chartName);
      if (chart) json(response, 200, chart);
      else
        json(response, 404, {
          error: `no chart named ${chartName}`,
          charts: buildCharts(result.report).map((c) => c.name),
        });
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) json(response, 500, { error: error.message });
      else response.destroy();
    });
  });
  // Keep-alive sockets would hold `close()` open; the page makes few requests.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, DASHBOARD_HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${DASHBOARD_HOST}:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
