// Module hook for the shell test: `electron` resolves to the recording stand-in (fake-electron.ts).
import { URL } from 'node:url';
const fake = new URL('./fake-electron.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: fake, shortCircuit: true };
  return next(specifier, context);
}
