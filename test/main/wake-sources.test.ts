/**
 * The app's wake-ups (resume from sleep, network back, window shown) against fake-electron's strict
 * powerMonitor and net: each reaches the folders as one wake(reason), and a network that stays
 * up, or stays down, wakes nothing.
 */
import { describe, expect, it } from 'vitest';
import { watchWakeUps } from '../../electron/main/wake-sources.js';
import type { WakeReason } from '../../electron/shared/engine-protocol.js';
import { createFakeElectron } from '../support/fake-electron.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function ready() {
  const electron = createFakeElectron();
  await electron.app.whenReady();
  const woken: WakeReason[] = [];
  const sources = watchWakeUps({
    powerMonitor: electron.powerMonitor,
    isOnline: () => electron.net.isOnline(),
    wake: (reason) => woken.push(reason),
    networkSampleMs: 10,
  });
  return { electron, woken, sources };
}

describe('app wake-ups', () => {
  it('resume from sleep wakes the folders once per resume', async () => {
    const { electron, woken, sources } = await ready();
    electron.powerMonitor.emit('resume');
    electron.powerMonitor.emit('resume');
    expect(woken).toEqual(['resume', 'resume']);
    sources.stop();
    electron.powerMonitor.emit('resume');
    expect(woken).toEqual(['resume', 'resume']);
  });

  it('the network coming back wakes them once; a network that stays up or stays down does not', async () => {
    const { electron, woken, sources } = await ready();
    await sleep(60);
    expect(woken).toEqual([]);
    electron.net.online = false;
    await sleep(60);
    expect(woken).toEqual([]);
    electron.net.online = true;
    await sleep(60);
    expect(woken).toEqual(['network']);
    sources.stop();
    electron.net.online = false;
    await sleep(30);
    electron.net.online = true;
    await sleep(30);
    expect(woken).toEqual(['network']);
  });

  it('the window shown wakes them', async () => {
    const { woken, sources } = await ready();
    sources.shown();
    expect(woken).toEqual(['shown']);
    sources.stop();
  });

  it('powerMonitor and net cannot be used before the app is ready, as in Electron', () => {
    const electron = createFakeElectron();
    expect(() => watchWakeUps({ powerMonitor: electron.powerMonitor, isOnline: () => electron.net.isOnline(), wake: () => undefined })).toThrow(
      /before the app is ready/,
    );
  });
});
