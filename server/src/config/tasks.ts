/**
 * What a model call is for. The settings name tasks (per-task routes), so the list lives with the
 * configuration, a leaf every layer may read; the router maps each task to a model (SSOT.md).
 */

export type Task = 'completion' | 'inline' | 'refactor' | 'explain' | 'tests' | 'fix' | 'docs';
export const TASKS: readonly Task[] = ['completion', 'inline', 'refactor', 'explain', 'tests', 'fix', 'docs'];
