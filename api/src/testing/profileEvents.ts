/** A profile topic for apps whose tests never change a profile: every use fails, naming why it should not happen. */
import type { ProfileEvents } from '../profileUpdates.ts';

export function unusedProfileEvents(why = 'no broker in this test'): ProfileEvents {
  return {
    publish: () => Promise.reject(new Error(why)),
    endOffsetOf: () => Promise.reject(new Error(why)),
    settled: () => Promise.resolve(),
  };
}
