/**
 * The code actions by name: the protocol's commands, the runners and the prompts all key on these.
 */

export type ActionName =
  | 'refactor'
  | 'refactorWithInstruction'
  | 'refactorVariants'
  | 'explain'
  | 'generateTests'
  | 'fix'
  | 'document';

export const ACTION_NAMES: readonly ActionName[] = [
  'refactor',
  'refactorWithInstruction',
  'refactorVariants',
  'explain',
  'generateTests',
  'fix',
  'document',
];

export function isActionName(value: unknown): value is ActionName {
  return typeof value === 'string' && (ACTION_NAMES as readonly string[]).includes(value);
}
