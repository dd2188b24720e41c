// Support shared by the integration tests (test/) and the bench (bench/), and by nothing else: no
// app or production library may import it (.dependency-cruiser.cjs).
export { deleteTopicsAndGroups, withAdmin } from './kafka-admin';
export { deleteMatchingKeys } from './redis-keys';
export { launchService } from './service-launch';
export type { LaunchedService, ServiceName } from './service-launch';
