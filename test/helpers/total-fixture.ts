/**
 * The small TypeScript function the action tests refactor and explain (integration, Neovim and VS
 * Code end to end): its source, the rewrite the fake model answers with, and the explanation.
 */
export const TOTAL_SOURCE = [
  '// Sums prices.',
  'export function total(items: { price: number }[]): number {',
  '  let sum = 0;',
  '  for (let i = 0; i < items.length; i++) {',
  '    sum = sum + items[i].price;',
  '  }',
  '  return sum;',
  '}',
  '',
].join('\n');

export const TOTAL_REWRITTEN = [
  'export function total(items: { price: number }[]): number {',
  '  let sum = 0;',
  '  for (const item of items) {',
  '    sum += item.price;',
  '  }',
  '  return sum;',
  '}',
].join('\n');

export const EXPLANATION = 'Adds up the `price` of every item.\n\n- Returns 0 for an empty list.';
