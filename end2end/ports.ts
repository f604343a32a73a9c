// Where the servers of the end-to-end run listen. Each Playwright worker has its own server on
// its own fresh database with demo data, and its own SMTP sink, so specs in different workers
// never see each other's writes (Playwright sets TEST_PARALLEL_INDEX in each worker process).

/** How many workers, and so how many servers, a run has. */
export const WORKERS = Number(process.env.PINGJIA_E2E_WORKERS ?? 2);

const FIRST_PORT = Number(process.env.PINGJIA_E2E_PORT ?? 8181);

/** The ports of worker `index`: its server, its SMTP sink and the sink's list of messages. */
export function portsOf(index: number): { server: number; smtp: number; messages: number } {
  const server = FIRST_PORT + 10 * index;
  return { server, smtp: server + 1000, messages: server + 1001 };
}

/** The ports of the worker this code runs in (the first one outside a worker). */
export const ports = portsOf(Number(process.env.TEST_PARALLEL_INDEX ?? 0));
