/**
 * Debian's Chromium as the tests and the bench launch it through playwright-core: headless, with a
 * fresh profile, and nothing phoning home (this machine's network is closed; without the
 * background-networking flags Chromium's connections are refused many at a time).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
