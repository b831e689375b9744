import { earlierReleaseBundle } from '../release-bundle';

/** The stay workflow as the fourth release ran it, registering stays under rules version 2 (workflow-api.ts). */
export const rulesV2ReleaseBundle = () => earlierReleaseBundle(new URL('./workflow-api.ts', import.meta.url));
