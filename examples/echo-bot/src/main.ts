// Starts the echo bot with settings from the environment (see config.ts and the README), and
// stops it cleanly on Ctrl-C or SIGTERM: the connection closes, the event being processed
// finishes, and the state file is left as the last event made it.
import { codeFromEnvOrPrompt } from './code-source.ts';
import { loadConfig } from './config.ts';
import { EchoBot } from './echo-bot.ts';
import { ConfigError } from './errors.ts';
import { createLogger, describeError } from './logger.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

const logger = createLogger(config.logLevel);
const bot = new EchoBot({ config, codeSource: codeFromEnvOrPrompt(config.code), logger });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // `once`: a second Ctrl-C falls through to Node's default and ends the process at once.
  process.once(signal, () => {
    logger.info('stopping', { signal });
    bot.stop();
  });
}

try {
  await bot.run();
} catch (error) {
  logger.error('the bot cannot go on', describeError(error));
  process.exitCode = 1;
}
