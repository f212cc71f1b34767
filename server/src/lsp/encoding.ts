/**
 * Position encodings. Documents are stored as JavaScript strings (UTF-16), so a client that
 * negotiated UTF-8 has its columns converted on the way in and every range converted on the way out.
 */

export type Encoding = 'utf-16' | 'utf-8';

/** Picks utf-8 when the client offers it (cheaper for most editors), else the mandatory utf-16. */
export function negotiateEncoding(offered: readonly string[] | undefined): Encoding {
  return offered?.includes('utf-8') ? 'utf-8' : 'utf-16';
}

/** UTF-8 byte column → UTF-16 code-unit column on one line; clamps past the end of the line. */
export function utf8ToUtf16Column(line: string, byteColumn: number): number {
  let bytes = 0;
  for (let i = 0; i < line.length; i++) {
    if (bytes >= byteColumn) return i;
    const code = line.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < line.length) {
      bytes += 4;
      i++;
      if (bytes > byteColumn) return i - 1;
    } else bytes += 3;
  }
  return line.length;
}

/** UTF-16 code-unit column → UTF-8 byte column on one line. */
export function utf16ToUtf8Column(line: string, column: number): number {
  return Buffer.byteLength(line.slice(0, Math.min(column, line.length)), 'utf8');
}
