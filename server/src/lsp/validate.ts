/**
 * Checks the shape of position-based request params at the edge, so malformed requests get a
 * clear InvalidParams error instead of an internal error from deep inside a handler.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver';

export function invalidPositionParams(method: string, params: unknown): ResponseError<void> | undefined {
  const p = params as { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } } | undefined;
  const ok =
    typeof p?.textDocument?.uri === 'string' &&
    Number.isInteger(p.position?.line) &&
    Number.isInteger(p.position?.character);
  return ok ? undefined : new ResponseError(ErrorCodes.InvalidParams, `${method} needs textDocument.uri (string) and position {line, character} (integers)`);
}
