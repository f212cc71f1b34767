/**
 * zod's small API (`zod/mini`: plain functions instead of methods, so the bundle keeps only the
 * parts the schemas use, about 60 KB instead of the whole 580 KB classic API) with its English
 * messages, which zod/mini does not load by itself. Every schema imports zod from here
 * (`import * as z from '../config/zod.ts'`: a namespace import, which the bundler can still
 * tree-shake), so the messages a user sees ("expected number, received string") are the same everywhere.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
