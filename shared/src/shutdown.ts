import type { Logger } from './logger.ts';

type Closer = () => Promise<void> | void;

/**
 * Runs the closers once, in reverse order of registration (last opened, first
 * closed), on SIGINT/SIGTERM or when `shutdown()` is called. A second signal
 * exits at once.
 */
export function createShutdown(logger: Logger) {
  const closers: { name: string; close: Closer }[] = [];
  let shuttingDown: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    shuttingDown ??= (async () => {
      logger.info({ reason }, 'shutting down');
      for (const { name, close } of closers.toReversed()) {
        try {
          await close();
        } catch (error) {
          logger.error({ err: error, closer: name }, 'error while closing');
        }
      }
    })();
    return shuttingDown;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) process.exit(130);
    void shutdown(signal).then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  return {
    register(name: string, close: Closer) {
      closers.push({ name, close });
    },
    shutdown,
  };
}
