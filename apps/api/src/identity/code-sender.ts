// Server-only. Verification codes leave the server through a pluggable sender. The built-in one
// prints the code on the console for development; an SMS provider implements the same interface
// in a module named by CODE_SENDER.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

import type { PhoneNumber } from './phone-number.js';

export interface CodeSender {
  send(phoneNumber: PhoneNumber, code: string): Promise<void>;
}

/**
 * Prints codes on standard output, apart from the structured logs (which never hold a code).
 * This is the development sender: anybody who reads the console can sign in as anybody.
 */
export const consoleCodeSender: CodeSender = {
  async send(phoneNumber, code) {
    process.stdout.write(`Parley verification code for ${phoneNumber}: ${code}\n`);
  },
};

function isCodeSender(value: unknown): value is CodeSender {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { send?: unknown }).send === 'function'
  );
}

/** Resolves CODE_SENDER: `console`, or a module whose default export is a CodeSender. */
export async function loadCodeSender(setting: string): Promise<CodeSender> {
  if (setting === 'console') return consoleCodeSender;
  const module: { default?: unknown } = await import(pathToFileURL(path.resolve(setting)).href);
  if (!isCodeSender(module.default)) {
    throw new Error(
      `CODE_SENDER module ${setting} must export by default an object with ` +
        'send(phoneNumber, code): Promise<void>.',
    );
  }
  return module.default;
}
