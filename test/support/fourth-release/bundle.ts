import { earlierReleaseBundle } from '../../../stack/earlier-releases/bundle';

/** The stay workflow as the fourth release ran it: before the read model was written by a local activity. */
export const fourthReleaseBundle = () => earlierReleaseBundle(new URL('./workflow-api.ts', import.meta.url));
