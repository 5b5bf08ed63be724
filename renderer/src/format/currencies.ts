/** Every ISO 4217 currency this browser can format, with its name in the user's language, by code. */
export function knownCurrencies(): { code: string; name: string }[] {
  const names = new Intl.DisplayNames(undefined, { type: 'currency' });
  return Intl.supportedValuesOf('currency').map((code) => ({ code, name: names.of(code) ?? code }));
}
