import { earlierReleaseBundle } from '../../../stack/earlier-releases/bundle';

/** The stay workflow as the fifth release ran it: before the sixth release's patches (workflow-api.ts). */
export const fifthReleaseBundle = () => earlierReleaseBundle(new URL('./workflow-api.ts', import.meta.url));
