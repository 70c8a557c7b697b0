import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideState,
  launcherStatusFrom,
  needsMarkerVerdict,
  parseKeyValues,
  type LauncherStatus,
} from './command-state.js';
import type { MarkerVerdict } from './marker-rule.js';

const parseLauncherStatus = (stdout: string): LauncherStatus => launcherStatusFrom(parseKeyValues(stdout));

describe('the launcher status', () => {
  it('parses a finished attempt', () => {
    const status = parseLauncherStatus(
      'attempt=a-1\nstarted=1700000000000\nsupervisor=gone\npid=42\nended=3 1700000001500\n',
    );
    assert.deepEqual(status, {
      attemptId: 'a-1',
      startedAt: new Date(1700000000000),
      supervisorAlive: false,
      exit: { code: 3, endedAt: new Date(1700000001500) },
      stopped: false,
    });
  });

  it('parses an unclaimed boot', () => {
    assert.deepEqual(parseLauncherStatus('attempt=\n'), { supervisorAlive: false, stopped: false });
  });

  it('parses a running, then a stopped attempt', () => {
    assert.equal(parseLauncherStatus('attempt=a\nsupervisor=alive\n').supervisorAlive, true);
    assert.equal(parseLauncherStatus('attempt=a\nended=143 1\nstopped=yes\n').stopped, true);
  });
});

describe('the command state', () => {
  const ended = { code: 0, endedAt: new Date(0) };
  const cases: [string, LauncherStatus, MarkerVerdict | undefined, string, string?][] = [
    ['no claim', { supervisorAlive: false, stopped: false }, undefined, 'not-started'],
    [
      'another attempt',
      { attemptId: 'b', supervisorAlive: true, stopped: false },
      undefined,
      'failed',
      'other-attempt',
    ],
    ['supervisor alive', { attemptId: 'a', supervisorAlive: true, stopped: false }, undefined, 'running'],
    [
      'supervisor gone, no exit',
      { attemptId: 'a', supervisorAlive: false, stopped: false },
      undefined,
      'failed',
      'exit-unknown',
    ],
    [
      'marker last, exit 0',
      { attemptId: 'a', supervisorAlive: false, stopped: false, exit: ended },
      'marker-last',
      'succeeded',
    ],
    [
      'marker last, exit 3',
      { attemptId: 'a', supervisorAlive: false, stopped: false, exit: { ...ended, code: 3 } },
      'marker-last',
      'succeeded',
    ],
    [
      'no marker, exit 0',
      { attemptId: 'a', supervisorAlive: false, stopped: false, exit: ended },
      'marker-missing',
      'failed',
      'marker-missing',
    ],
    [
      'marker then a line',
      { attemptId: 'a', supervisorAlive: false, stopped: false, exit: ended },
      'output-after-marker',
      'failed',
      'output-after-marker',
    ],
    [
      'stopped with marker last',
      { attemptId: 'a', supervisorAlive: false, stopped: true, exit: ended },
      'marker-last',
      'failed',
      'stopped',
    ],
  ];
  for (const [name, status, verdict, state, reason] of cases) {
    it(`${name} → ${state}${reason ? ` (${reason})` : ''}`, () => {
      const decision = decideState('a', status, verdict);
      assert.equal(decision.state, state);
      assert.equal(decision.failure?.reason, reason);
    });
  }

  it('inspects the output only of this attempt once it exited and was not stopped', () => {
    assert.equal(
      needsMarkerVerdict('a', { attemptId: 'a', supervisorAlive: false, stopped: false, exit: ended }),
      true,
    );
    assert.equal(needsMarkerVerdict('a', { attemptId: 'a', supervisorAlive: true, stopped: false }), false);
    assert.equal(
      needsMarkerVerdict('a', { attemptId: 'b', supervisorAlive: false, stopped: false, exit: ended }),
      false,
    );
    assert.equal(
      needsMarkerVerdict('a', { attemptId: 'a', supervisorAlive: false, stopped: true, exit: ended }),
      false,
    );
  });

  it('words the failure as CAPH does, with the exit code', () => {
    const decision = decideState('a', {
      attemptId: 'a',
      supervisorAlive: false,
      stopped: false,
      exit: { code: 7, endedAt: new Date(0) },
    });
    assert.match(
      decision.failure?.message ?? '',
      /IMAGE_URL_DONE not found in the last line of \/root\/image-url-command.log \(exit code 7\)/,
    );
  });
});
