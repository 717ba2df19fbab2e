// Where the one-time sign-in code comes from. The server sends it by SMS in production; the
// embedded server started with `pnpm start` prints it in its log instead.
import { createInterface } from 'node:readline/promises';

/** Returns the code sent to `phoneNumber`, once the server has been asked to send it. */
export type CodeSource = (phoneNumber: string, signal: AbortSignal) => Promise<string>;

/** PARLEY_CODE when it was set, else a prompt on the terminal. */
export function codeFromEnvOrPrompt(code: string | undefined): CodeSource {
  if (code !== undefined) return async () => code;
  return async (phoneNumber, signal) => {
    const terminal = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await terminal.question(`Code sent to ${phoneNumber}: `, { signal });
      return answer.trim();
    } finally {
      terminal.close();
    }
  };
}
