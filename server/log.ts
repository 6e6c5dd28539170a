import type { FastifyBaseLogger } from 'fastify';

/**
 * A small JSON-lines logger with the pino interface Fastify expects, shared by the HTTP layer, the job
 * runner and delivery. One line per event on stderr: {"level":"warn","time":…,"msg":…,…}.
 */
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
type Level = keyof typeof LEVELS;

export function createLogger(
  level: Level,
  bindings: Record<string, unknown> = {},
  write: (line: string) => void = (l) => process.stderr.write(l),
): FastifyBaseLogger {
  const min = LEVELS[level];
  const emit = (lvl: Exclude<Level, 'silent'>) =>
    function (this: unknown, a?: unknown, b?: unknown) {
      if (LEVELS[lvl] < min) return;
      let fields: Record<string, unknown> = {};
      let msg: unknown = a;
      if (typeof a === 'object' && a !== null) {
        fields = a instanceof Error ? { err: a } : { ...(a as Record<string, unknown>) };
        msg = b;
      }
      const err = fields.err;
      if (err instanceof Error) fields.err = { type: err.name, message: err.message, stack: err.stack };
      write(`${JSON.stringify({ level: lvl, time: Date.now(), ...bindings, ...fields, ...(msg !== undefined ? { msg } : {}) })}\n`);
    };
  const logger = {
    level,
    trace: emit('trace'),
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    fatal: emit('fatal'),
    silent: () => undefined,
    child: (more: Record<string, unknown>) => createLogger(level, { ...bindings, ...more }, write),
  };
  return logger as unknown as FastifyBaseLogger;
}
