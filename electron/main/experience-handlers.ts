/**
 * The commands of the desktop experience (issue 18) beside the core ones of app-service.ts:
 * onboarding's steps, recovery, support, and the popover's pause and window buttons.
 */
import type { View } from '../shared/ipc-channels.js';
import type { IpcHandlers } from './ipc-dispatch.js';
import { createOnboardingHandlers, type OnboardingCommand, type OnboardingDeps } from './onboarding-handlers.js';
import type { PauseSchedule } from './pause-schedule.js';
import { createRecoveryHandlers, type RecoveryCommand, type RecoveryDeps } from './recovery-handlers.js';
import { createSupportHandlers, type SupportCommand, type SupportDeps } from './support-handlers.js';

export type ExperienceCommand = OnboardingCommand | RecoveryCommand | SupportCommand | 'pauseAll' | 'resumeAll' | 'showWindow';

export interface ExperienceDeps {
  onboarding: OnboardingDeps;
  recovery: RecoveryDeps;
  support: SupportDeps;
  pause: PauseSchedule;
  showWindow: (view: View) => void;
}

export function createExperienceHandlers(deps: ExperienceDeps): Pick<IpcHandlers, ExperienceCommand> {
  return {
    ...createOnboardingHandlers(deps.onboarding),
    ...createRecoveryHandlers(deps.recovery),
    ...createSupportHandlers(deps.support),
    pauseAll: ({ length }) => deps.pause.pause(length),
    resumeAll: () => deps.pause.resume(),
    async showWindow({ view }) {
      deps.showWindow(view);
    },
  };
}
