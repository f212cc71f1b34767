/**
 * The soak reads the server's live heap through the inspector whose URL the server prints: after
 * the launcher re-executes itself with its V8 flags, that is the last URL on stderr.
 */
import { describe, expect, it } from 'vitest';
import { inspectorUrl } from '../../bench/inspector.ts';

describe('inspectorUrl', () => {
  it('takes the URL of the process that runs the server, printed after the launcher restarted', () => {
    const stderr = [
      'Debugger listening on ws://127.0.0.1:40001/aaaa-1111',
      'For help, see: https://nodejs.org/en/docs/inspector',
      'Debugger listening on ws://127.0.0.1:40002/bbbb-2222',
      'For help, see: https://nodejs.org/en/docs/inspector',
    ].join('\n');
    expect(inspectorUrl(stderr)).toBe('ws://127.0.0.1:40002/bbbb-2222');
  });

  it('reads the one URL of a server started without a restart, and none when there is none', () => {
    expect(inspectorUrl('Debugger listening on ws://127.0.0.1:40001/aaaa-1111\n')).toBe(
      'ws://127.0.0.1:40001/aaaa-1111',
    );
    expect(inspectorUrl('ghostline: started\n')).toBeUndefined();
  });
});
