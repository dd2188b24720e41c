// Support shared by the integration tests (test/) and the bench (bench/), and by nothing else: no
// app or production library may import it (.dependency-cruiser.cjs). It imports no @conmutador/*
// package, so that jest's global setup (which runs without the path aliases) can load it.
export { deleteTopicsAndGroups, withAdmin } from './kafka-admin';
export { deleteMatchingKeys } from './redis-keys';
export { launchService } from './service-launch';
export type { LaunchedService, ServiceName } from './service-launch';
