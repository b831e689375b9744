import { earlierReleaseBundle } from '../release-bundle';

/** The stay workflow as the seventh release ran it: before the eighth release's patch (workflow-api.ts). */
export const seventhReleaseBundle = () => earlierReleaseBundle(new URL('./workflow-api.ts', import.meta.url));
